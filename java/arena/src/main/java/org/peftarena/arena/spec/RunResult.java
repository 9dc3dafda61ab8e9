package org.peftarena.arena.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.arena.eval.TaskScore;

/**
 * What a run produced (besides the files in its artifact folder).
 *
 * @param runId           the run's id
 * @param scores          final scores by task
 * @param trajectory      scores along training (empty for base runs)
 * @param losses          training loss of every step (empty for base runs)
 * @param trainableParams trainable parameters actually trained
 * @param trainSeconds    wall time of training
 * @param evalSeconds     wall time of all evaluations (trajectory included)
 * @param totalSeconds    wall time of the whole run
 * @param trainTokens     loss-bearing tokens processed in training
 * @param backend         where tensors were computed, e.g. {@code cpu}
 * @param versions        software versions (engine, Java, LibTorch preset, ...)
 * @param checkpoints     checkpoint directories relative to the artifact folder, by step
 * @param modelPath       folder of the finetuned adapter or model relative to the artifact folder, or null
 */
public record RunResult(String runId, Map<String, TaskScore> scores, List<TrajectoryPoint> trajectory,
                        List<Double> losses, long trainableParams, double trainSeconds, double evalSeconds,
                        double totalSeconds, long trainTokens, String backend, Map<String, String> versions,
                        Map<Integer, String> checkpoints, String modelPath) {
    /** Copies the collections. */
    public RunResult {
        scores = new TreeMap<>(scores);
        trajectory = List.copyOf(trajectory);
        losses = List.copyOf(losses);
        versions = new TreeMap<>(versions);
        checkpoints = new TreeMap<>(checkpoints);
    }

    /** Training throughput in loss-bearing tokens per second. */
    public double trainTokensPerSecond() {
        return trainSeconds > 0 ? trainTokens / trainSeconds : 0;
    }
}
