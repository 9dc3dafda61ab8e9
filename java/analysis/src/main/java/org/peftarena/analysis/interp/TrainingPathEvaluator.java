package org.peftarena.analysis.interp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.train.sft.SftCheckpoints;

/**
 * Scores the checkpoints saved along training ({@code <run>/checkpoints/step-NNNNNN/}: an HF PEFT
 * adapter, or for full finetuning an HF model) on the same axes as the interpolation path.
 */
public final class TrainingPathEvaluator {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainingPathEvaluator() {}

    /**
     * The complete checkpoints of a training run, by increasing step.
     *
     * @param runDir the trainer's output directory (holding {@code checkpoints/}) or that {@code checkpoints/} directory
     * @throws PathException when there is no checkpoint directory
     * @throws IOException when listing fails
     */
    public static List<Path> checkpoints(Path runDir) throws IOException {
        Path root = Files.isDirectory(runDir.resolve(SftCheckpoints.DIR)) ? runDir.resolve(SftCheckpoints.DIR) : runDir;
        if (!Files.isDirectory(root)) {
            throw new PathException(runDir + " holds no " + SftCheckpoints.DIR + "/ directory");
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-")
                            && Files.isRegularFile(p.resolve(SftCheckpoints.STATE_FILE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
    }

    /**
     * Scores each checkpoint; the base model is left as it was.
     *
     * @param base the float32 base decoder the adapters were trained on
     * @param checkpoints checkpoint directories (see {@link #checkpoints(Path)})
     * @param scorer Target/General of a model
     * @return one point per checkpoint, in the given order
     * @throws IOException when a checkpoint cannot be read
     */
    public static List<TrainingPoint> evaluate(LlamaModel base, List<Path> checkpoints, ModelScorer scorer) throws IOException {
        List<TrainingPoint> out = new ArrayList<>();
        for (Path dir : checkpoints) {
            out.add(new TrainingPoint(step(dir), dir, score(base, dir, scorer)));
        }
        return out;
    }

    private static ModelScores score(LlamaModel base, Path dir, ModelScorer scorer) throws IOException {
        if (Files.isRegularFile(dir.resolve(HfModelDirectory.CONFIG_FILE))) {
            return scorer.score(HfModelDirectory.load(dir, ModelDType.FLOAT32).moveTo(base.device())); // on the base's device
        }
        AdapterCheckpoint adapter = AdapterIO.load(dir);
        PeftModel pm = PeftModel.attach(base, adapter.config(), adapter.targets(), 0L);
        try {
            pm.adapters().load(adapter.tensors());
            return scorer.score(base);
        } finally {
            pm.detach();
        }
    }

    /** The step recorded in the checkpoint's trainer state. */
    static int step(Path dir) throws IOException {
        JsonNode json;
        try {
            json = MAPPER.readTree(dir.resolve(SftCheckpoints.STATE_FILE).toFile());
        } catch (IOException e) {
            throw new PathException(dir.resolve(SftCheckpoints.STATE_FILE) + " is not valid JSON: " + e.getMessage());
        }
        JsonNode step = json == null ? null : json.get("step");
        if (step == null || !step.canConvertToInt()) {
            throw new PathException(dir.resolve(SftCheckpoints.STATE_FILE) + " has no integer 'step'");
        }
        return step.asInt();
    }
}
