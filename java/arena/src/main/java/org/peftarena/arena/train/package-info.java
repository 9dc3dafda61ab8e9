/** The arena's supervised examples of a target task and their training. */
package org.peftarena.arena.train;
