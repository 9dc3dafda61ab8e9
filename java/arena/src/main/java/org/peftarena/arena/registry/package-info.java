/** The SQLite run registry: runs, scores, artifacts and their settings, written only by the coordinator. */
package org.peftarena.arena.registry;
