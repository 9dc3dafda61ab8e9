/** Progress events of an arena for a front end, shared by the runner and its executors. */
package org.peftarena.arena.progress;
