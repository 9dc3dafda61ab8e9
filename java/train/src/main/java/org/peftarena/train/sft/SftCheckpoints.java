package org.peftarena.train.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/**
 * Training checkpoints under {@code <out>/checkpoints/step-NNNNNN/}: the adapter (HF PEFT layout)
 * or, for full finetuning, the whole model (HF layout), plus {@code trainer_state.json}. A
 * checkpoint is written to a temporary directory and renamed into place, so one that exists is complete.
 */
public final class SftCheckpoints {
    /** Name of the training state file. */
    public static final String STATE_FILE = "trainer_state.json";
    /** Sub-directory of the checkpoints. */
    public static final String DIR = "checkpoints";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SftCheckpoints() {}

    /** The state recorded with a checkpoint: steps done and the loss of each. */
    public record State(int step, List<Double> losses) {
    }

    /** Writes the trained parameters and the state into {@code dir} (HF layout; replaced files atomically). */
    public static void write(PeftModel pm, Path dir, State state, String baseModel) throws IOException {
        Files.createDirectories(dir);
        if (pm.config().method() == PeftMethod.FULL) {
            HfModelDirectory.save(pm.model(), dir);
        } else {
            AdapterIO.save(pm.adapters(), dir, baseModel);
        }
        ObjectNode json = MAPPER.createObjectNode();
        json.put("step", state.step());
        json.put("method", pm.config().method().cliName());
        json.put("config", pm.config().toString());
        state.losses().forEach(json.putArray("losses")::add);
        AtomicFiles.write(dir.resolve(STATE_FILE), MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
    }

    /** Saves checkpoint {@code step} under {@code out} (temporary directory, then rename). */
    public static Path save(PeftModel pm, Path out, State state, String baseModel) throws IOException {
        Path root = out.resolve(DIR);
        Files.createDirectories(root);
        Path target = root.resolve(String.format("step-%06d", state.step()));
        Path tmp = root.resolve(".tmp-" + target.getFileName());
        deleteTree(tmp);
        write(pm, tmp, state, baseModel);
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The complete checkpoint with the most steps under {@code out}, if any. */
    public static Optional<Path> latest(Path out) throws IOException {
        Path root = out.resolve(DIR);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.isRegularFile(p.resolve(STATE_FILE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    /**
     * Loads a checkpoint's parameters into an attached model of the same method and shape.
     *
     * @return the recorded state
     */
    public static State restore(PeftModel pm, Path dir) throws IOException {
        if (pm.config().method() == PeftMethod.FULL) {
            try (ShardedCheckpoint store = ShardedCheckpoint.open(dir); NoGradGuard g = new NoGradGuard()) {
                for (Map.Entry<String, Tensor> e : pm.trainableParameters().entrySet()) {
                    Tensor src = HostTensors.floats(store.readFloats(e.getKey()), store.info(e.getKey()).shape());
                    e.getValue().copy_(src);
                }
            }
        } else {
            AdapterCheckpoint ckpt = AdapterIO.load(dir);
            if (!ckpt.config().equals(pm.config())) {
                throw new SftDataException("checkpoint " + dir + " holds " + ckpt.config() + ", the run trains " + pm.config());
            }
            pm.adapters().load(ckpt.tensors());
        }
        JsonNode json = MAPPER.readTree(dir.resolve(STATE_FILE).toFile());
        List<Double> losses = new ArrayList<>();
        json.path("losses").forEach(n -> losses.add(n.asDouble()));
        return new State(json.path("step").asInt(), losses);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
