/** What the tool knows about its own build: version and commit. */
package org.peftarena.arena.build;
