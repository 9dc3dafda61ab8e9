/** The arena's tasks: built-in Europarl languages, arithmetic and code, and users' own data declared under {@code tasks}. */
package org.peftarena.arena.data;
