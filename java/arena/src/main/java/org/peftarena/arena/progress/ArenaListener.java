package org.peftarena.arena.progress;

import java.util.Map;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.train.TrainingProgress;

/**
 * Progress events of an arena for a front end (progress bars, logs); the library draws nothing.
 * Indices count runs in plan order, from 0.
 */
public interface ArenaListener {
    /** A listener that ignores everything. */
    ArenaListener NONE = new ArenaListener() {
    };

    /**
     * The arena starts.
     *
     * @param plan     every run
     * @param finished how many of them are already finished and will be skipped
     */
    default void arenaStarted(ArenaPlan plan, int finished) {
    }

    /** A finished run is skipped. */
    default void runSkipped(int index, RunSpec spec) {
    }

    /** A run starts. */
    default void runStarted(int index, RunSpec spec) {
    }

    /** A run enters a phase. */
    default void runPhase(int index, RunSpec spec, String phase) {
    }

    /** A run finished an optimizer step. */
    default void runStep(int index, RunSpec spec, TrainingProgress progress) {
    }

    /** A run was scored (step 0 for the base model). */
    default void runEvaluated(int index, RunSpec spec, int step, Map<String, Double> scores) {
    }

    /** A run finished and its result is stored. */
    default void runFinished(int index, RunSpec spec, RunResult result) {
    }

    /** A run failed; the arena continues with the next one. */
    default void runFailed(int index, RunSpec spec, Exception error) {
    }

    /** A message for the user from the executor (a submitted array, a scheduler error, a failed task's log). */
    default void notice(String message) {
    }

    /**
     * The state of runs executing elsewhere (a job array), counted over every run being watched.
     *
     * @param queued  waiting for the scheduler
     * @param running executing
     * @param done    finished and ingested
     * @param failed  failed (their logs are named in notices)
     */
    default void arrayProgress(int queued, int running, int done, int failed) {
    }

    /** A run's own listener that forwards its phases, steps and evaluations here, tagged with the run. */
    default RunListener forRun(int index, RunSpec spec) {
        ArenaListener arena = this;
        return new RunListener() {
            @Override
            public void phase(String description) {
                arena.runPhase(index, spec, description);
            }

            @Override
            public void step(TrainingProgress progress) {
                arena.runStep(index, spec, progress);
            }

            @Override
            public void evaluated(int step, Map<String, Double> scores) {
                arena.runEvaluated(index, spec, step, scores);
            }
        };
    }
}
