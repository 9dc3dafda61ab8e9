/** The arena: tasks, evaluation, the runner and its registry, the frontier and reports. */
package org.peftarena.arena;
