/** Import of external Target/General scores (CSV or JSON) into the arena's frontier and overshoot analysis. */
package org.peftarena.arena.importer;
