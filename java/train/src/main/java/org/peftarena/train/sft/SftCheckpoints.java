package org.peftarena.train.sft;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.FileTrees;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.train.CheckpointDigests;
import org.peftarena.train.CheckpointException;
import org.peftarena.train.ResumeState;

/**
 * Training checkpoints under {@code <out>/checkpoints/step-NNNNNN/}: the adapter (HF PEFT layout)
 * or, for full finetuning, the whole model (HF layout), plus {@code trainer_state.json} and, for an
 * exact resume, the optimizer and hook state and the SHA-256 of every file. A checkpoint is written
 * to a temporary directory and renamed into place, so one that exists is complete.
 */
public final class SftCheckpoints {
    /** Name of the training state file. */
    public static final String STATE_FILE = "trainer_state.json";
    /** Sub-directory of the checkpoints. */
    public static final String DIR = "checkpoints";
    /** Name prefix of checkpoints set aside because the run had collapsed when they were written. */
    public static final String COLLAPSED_PREFIX = "collapsed-";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SftCheckpoints() {}

    /** The state recorded with a checkpoint: steps done and the loss of each. */
    public record State(int step, List<Double> losses) {
    }

    /** Writes the trained parameters and the state into {@code dir} (HF layout; replaced files atomically). */
    public static void write(PeftModel pm, Path dir, State state, String baseModel) throws IOException {
        writeParameters(pm, dir, baseModel);
        writeState(dir, stateJson(pm, state));
    }

    private static void writeParameters(PeftModel pm, Path dir, String baseModel) throws IOException {
        Files.createDirectories(dir);
        if (pm.config().method().wholeModel()) {
            HfModelDirectory.save(pm.model(), dir);
        } else {
            AdapterIO.save(pm.adapters(), dir, baseModel);
        }
    }

    private static ObjectNode stateJson(PeftModel pm, State state) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("step", state.step());
        json.put("method", pm.config().method().cliName());
        json.put("config", pm.config().toString());
        state.losses().forEach(json.putArray("losses")::add);
        return json;
    }

    private static void writeState(Path dir, ObjectNode json) throws IOException {
        AtomicFiles.write(dir.resolve(STATE_FILE), MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
    }

    /** Saves checkpoint {@code step} under {@code out} (temporary directory, then rename). */
    public static Path save(PeftModel pm, Path out, State state, String baseModel) throws IOException {
        return save(pm, out, state, baseModel, null, 0);
    }

    /**
     * Saves a checkpoint a run can resume from exactly: parameters, the optimizer and hook state, the
     * data cursor and the SHA-256 of every file (temporary directory, then rename).
     *
     * @param resume the run's optimizer and hook, or null to store the parameters and losses only
     * @param nextMicroBatch the data cursor: the first micro-batch the resumed run reads
     */
    public static Path save(PeftModel pm, Path out, State state, String baseModel, ResumeState resume,
                            long nextMicroBatch) throws IOException {
        Path root = out.resolve(DIR);
        Files.createDirectories(root);
        Path target = root.resolve(String.format("step-%06d", state.step()));
        Path tmp = root.resolve(".tmp-" + target.getFileName());
        FileTrees.delete(tmp);
        writeParameters(pm, tmp, baseModel);
        ObjectNode json = stateJson(pm, state);
        if (resume != null) {
            json.set("resume", resume.write(tmp, nextMicroBatch));
            ObjectNode files = json.putObject("files");
            CheckpointDigests.of(tmp).forEach(files::put);
        }
        writeState(tmp, json);
        FileTrees.delete(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * A checkpoint restored for a resumed run.
     *
     * @param dir   the checkpoint directory
     * @param state its step and the losses up to it
     */
    public record Restored(Path dir, State state) {}

    /**
     * Restores the latest checkpoint of a run asked to resume into {@code pm}; empty for a fresh run
     * (no output, no {@code resume}, or no checkpoint yet).
     */
    public static Optional<Restored> restoreLatest(PeftModel pm, SftTrainer.Output output) {
        if (output == null || !output.resume()) {
            return Optional.empty();
        }
        try {
            Optional<Path> ckpt = latest(output.dir());
            if (ckpt.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Restored(ckpt.get(), restore(pm, ckpt.get())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot resume from " + output.dir(), e);
        }
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
     * Renames the checkpoints of step {@code fromStep} and later under {@code out} to
     * {@code collapsed-step-NNNNNN}, so that {@link #latest} and a resumed run pass over them; their files
     * are kept (one set aside earlier under the same name is replaced).
     *
     * @return the renamed checkpoints, in step order
     */
    public static List<Path> setAside(Path out, int fromStep) throws IOException {
        Path root = out.resolve(DIR);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(root)) {
            found = s.filter(p -> p.getFileName().toString().matches("step-\\d+")
                            && Integer.parseInt(p.getFileName().toString().substring(5)) >= fromStep)
                    .sorted().toList();
        }
        List<Path> moved = new ArrayList<>();
        for (Path p : found) {
            Path target = root.resolve(COLLAPSED_PREFIX + p.getFileName());
            FileTrees.delete(target);
            Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
            moved.add(target);
        }
        return moved;
    }

    /**
     * Loads a checkpoint's parameters into an attached model of the same method and shape, after
     * checking the digests of its files where it records them.
     *
     * @return the recorded state
     * @throws CheckpointException if the checkpoint is incomplete, corrupt or holds another method
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static State restore(PeftModel pm, Path dir) throws IOException {
        JsonNode json = readState(dir);
        JsonNode files = json.path("files");
        if (files.isObject()) {
            Map<String, String> expected = new LinkedHashMap<>();
            files.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            CheckpointDigests.verify(dir, expected);
        }
        String method = json.path("method").asText(null);
        if (method != null && !method.equals(pm.config().method().cliName())) {
            throw new CheckpointException("checkpoint " + dir + " holds a " + method + " run, this run trains "
                    + pm.config().method().cliName());
        }
        if (!json.path("step").isIntegralNumber() || !json.path("losses").isArray()) {
            throw new CheckpointException(dir.resolve(STATE_FILE) + " needs an integer 'step' and a 'losses' array");
        }
        if (pm.config().method().wholeModel()) {
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
        List<Double> losses = new ArrayList<>();
        json.path("losses").forEach(n -> losses.add(n.asDouble()));
        return new State(json.path("step").asInt(), losses);
    }

    /**
     * Restores what {@link #save(PeftModel, Path, State, String, ResumeState, long)} stored besides the
     * parameters (call {@link #restore} first, then this once the optimizer exists).
     *
     * @param nextMicroBatch the data cursor the resuming run expects at the checkpoint's step
     * @throws CheckpointException if the checkpoint holds no such state or belongs to another run
     */
    public static void resume(Path dir, ResumeState resume, long nextMicroBatch) throws IOException {
        resume.restore(dir, readState(dir).get("resume"), nextMicroBatch);
    }

    private static JsonNode readState(Path dir) throws IOException {
        try {
            JsonNode json = MAPPER.readTree(dir.resolve(STATE_FILE).toFile());
            if (json == null || !json.isObject()) {
                throw new CheckpointException(dir.resolve(STATE_FILE) + " is not a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(dir.resolve(STATE_FILE) + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
