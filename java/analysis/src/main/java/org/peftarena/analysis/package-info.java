/** Diagnostics of PEFT updates in weight and activation space, interpolation and rewinding. */
package org.peftarena.analysis;
