/** The Slurm executor: one job array per submission, polled with squeue, tasks running arena run-one. */
package org.peftarena.arena.exec.slurm;
