/** Score records of runs along their interpolation paths and the operating-point rules applied to them. */
package org.peftarena.arena.scores;
