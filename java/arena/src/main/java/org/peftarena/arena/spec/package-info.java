/** Run specifications and their content hashes (a run's identity). */
package org.peftarena.arena.spec;
