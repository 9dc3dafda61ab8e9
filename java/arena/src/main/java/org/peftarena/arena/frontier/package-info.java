/** The stability-plasticity frontier: Gain, Forget and the Pareto set of runs. */
package org.peftarena.arena.frontier;
