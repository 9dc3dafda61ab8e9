package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.TrajectoryPoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.eval.TaskEvaluator;
import org.peftarena.arena.scores.ArenaScores;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.train.sft.SftCheckpoints;

/**
 * Scores a run's saved checkpoints after training (the training path of the protocol): each
 * checkpoint is loaded onto a fresh copy of the base model (full finetuning checkpoints are whole
 * models), merged, and evaluated like the final model. Evaluating from checkpoints keeps the
 * training loop and its timing free of evaluation, and scores exactly what was saved.
 */
final class CheckpointTrajectory {
    private CheckpointTrajectory() {
    }

    /**
     * @param spec        the run
     * @param config      its method configuration
     * @param checkpoints step to checkpoint folder (absolute)
     * @param losses      training loss of every step
     * @param evaluator   scores models
     * @param listener    receives each point's scores
     * @return one point per checkpoint whose step is a multiple of the trajectory interval, before the last step
     */
    static List<TrajectoryPoint> evaluate(RunSpec spec, PeftConfig config, Map<Integer, Path> checkpoints,
                                          List<Double> losses, TaskEvaluator evaluator, RunListener listener)
            throws IOException {
        List<TrajectoryPoint> points = new ArrayList<>();
        int every = spec.evaluation().trajectoryEvery();
        if (every == 0) {
            return points;
        }
        for (Map.Entry<Integer, Path> e : checkpoints.entrySet()) {
            int step = e.getKey();
            if (step % every != 0 || step >= spec.training().steps()) {
                continue;
            }
            listener.phase("evaluating the checkpoint at step " + step);
            LlamaModel model = load(spec, config, e.getValue());
            Map<String, Double> scores = ArenaScores.percentages(evaluator.evaluate(model, spec.evaluationTasks()));
            points.add(new TrajectoryPoint(step, losses.get(step - 1), scores));
            listener.evaluated(step, scores);
        }
        return points;
    }

    private static LlamaModel load(RunSpec spec, PeftConfig config, Path checkpoint) throws IOException {
        if (config.method().wholeModel()) {
            return RunDevices.load(checkpoint, spec);
        }
        LlamaModel model = RunDevices.load(Path.of(spec.baseModel()), spec);
        PeftConfig run = config.withTotalSteps(spec.training().steps()); // as the trainer recorded it
        PeftModel pm = PeftModel.attach(model, run, TargetModules.ofNames(spec.targetModules()), spec.seed());
        SftCheckpoints.restore(pm, checkpoint);
        pm.merge();
        model.setTrainable(n -> false);
        return model;
    }
}
