/** Execution of run units: training, scoring, diagnostics, interpolation and rewinding of one run, locally, by shard or through Slurm. */
package org.peftarena.arena.run;
