package org.peftarena.train;

import org.peftarena.peft.TrainingHook;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.formats.io.TensorInfo;
import org.peftarena.model.HostTensors;

/**
 * What an exact resume restores: the optimized tensors bit for bit (a method's exported format may
 * not hold them exactly, e.g. AdaLoRA zeroes pruned triplets), the optimizer's moments and step
 * counts, the training hook's state (AdaLoRA's allocator), and the data cursor. Batches and
 * initialisations are pure functions of the seed and an index (seeded Java generators; LibTorch's
 * generator is never drawn from during training), so the cursor stands for the data RNG's state.
 * The recipe recorded with it must match the resuming run's.
 */
public final class ResumeState {
    /** LibTorch archive of the optimizer state. */
    public static final String OPTIMIZER_FILE = "optimizer.pt";
    /** The optimized tensors as they are, float32 safetensors. */
    public static final String PARAMETERS_FILE = "trained_parameters.safetensors";
    /** The training hook's tensors, float32 safetensors. */
    public static final String HOOK_FILE = "hook_state.safetensors";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AdamWOptimizer optimizer;
    private final Map<String, Tensor> parameters;
    private final TrainingHook hook;
    private final String recipe;

    /**
     * @param optimizer  the run's optimizer
     * @param parameters the tensors it updates by name, in the optimizer's order
     * @param hook       the method's training hook
     * @param recipe     a description of everything that shapes the run (method, options, data); resuming needs an equal one
     */
    public ResumeState(AdamWOptimizer optimizer, Map<String, Tensor> parameters, TrainingHook hook, String recipe) {
        if (!List.copyOf(parameters.values()).equals(optimizer.parameters())) {
            throw new IllegalArgumentException("the named parameters are not the optimizer's, in its order");
        }
        this.optimizer = optimizer;
        this.parameters = new LinkedHashMap<>(parameters);
        this.hook = hook;
        this.recipe = recipe;
    }

    /**
     * Writes the optimizer and hook files into {@code dir} (each atomically).
     *
     * @param nextMicroBatch the data cursor: index of the first micro-batch the resumed run reads
     * @return the JSON description to record with the checkpoint
     */
    public ObjectNode write(Path dir, long nextMicroBatch) throws IOException {
        writeTensors(parameters, dir.resolve(PARAMETERS_FILE));
        AtomicFiles.write(dir.resolve(OPTIMIZER_FILE), optimizer.saveState());
        Map<String, Tensor> state = hook.state();
        if (!state.isEmpty()) {
            writeTensors(state, dir.resolve(HOOK_FILE));
        }
        ObjectNode json = MAPPER.createObjectNode();
        json.put("recipe", recipe);
        json.put("next_micro_batch", nextMicroBatch);
        ArrayNode params = json.putArray("parameters");
        parameters.forEach((name, t) -> {
            ObjectNode p = params.addObject().put("name", name);
            Arrays.stream(HostTensors.shape(t)).forEach(p.putArray("shape")::add);
        });
        json.put("parameters_file", PARAMETERS_FILE);
        json.put("optimizer", OPTIMIZER_FILE);
        json.put("hook_state", state.isEmpty() ? null : HOOK_FILE);
        return json;
    }

    /**
     * Checks a checkpoint's record against this run and restores the optimizer and hook state.
     *
     * @param dir            the checkpoint directory (its files' digests already checked)
     * @param json           what {@link #write} returned for it
     * @param nextMicroBatch the cursor this run expects at the checkpoint's step
     * @throws CheckpointException if the record is missing or malformed, or belongs to another run
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void restore(Path dir, JsonNode json, long nextMicroBatch) throws IOException {
        if (json == null || !json.isObject()) {
            throw new CheckpointException("checkpoint " + dir + " holds no optimizer state (written before exact resume "
                    + "existed, or not by the trainer); it cannot resume a run exactly");
        }
        if (!recipe.equals(json.path("recipe").asText(null))) {
            throw new CheckpointException("checkpoint " + dir + " was written by another run:\n  checkpoint: "
                    + json.path("recipe").asText("(none)") + "\n  this run:   " + recipe);
        }
        if (json.path("next_micro_batch").asLong(-1) != nextMicroBatch) {
            throw new CheckpointException("checkpoint " + dir + " resumes the data at micro-batch "
                    + json.path("next_micro_batch").asText("(none)") + ", its step needs " + nextMicroBatch);
        }
        checkParameters(dir, json.path("parameters"));
        Map<String, Tensor> saved = readTensors(dir.resolve(json.path("parameters_file").asText(PARAMETERS_FILE)));
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                Tensor src = saved.get(e.getKey());
                if (src == null || !Arrays.equals(HostTensors.shape(src), HostTensors.shape(e.getValue()))) {
                    throw new CheckpointException("checkpoint " + dir + " stores no tensor " + e.getKey() + " of shape "
                            + Arrays.toString(HostTensors.shape(e.getValue())));
                }
                e.getValue().copy_(src);
            }
        }
        try {
            optimizer.loadState(Files.readAllBytes(dir.resolve(json.path("optimizer").asText(OPTIMIZER_FILE))));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + ": " + e.getMessage(), e);
        }
        String hookFile = json.path("hook_state").asText(null);
        Map<String, Tensor> state = hookFile != null && !json.path("hook_state").isNull()
                ? readTensors(dir.resolve(hookFile)) : Map.of();
        try {
            hook.loadState(state);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + " does not fit this run's method state: " + e.getMessage(), e);
        }
    }

    private static void writeTensors(Map<String, Tensor> tensors, Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        tensors.forEach((name, t) -> w.addFloats(name, HostTensors.shape(t), HostTensors.toFloats(t)));
        w.write(file);
    }

    private static Map<String, Tensor> readTensors(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                TensorInfo info = f.find(name).orElseThrow();
                out.put(name, HostTensors.floats(f.readFloats(name), info.shape()));
            }
        }
        return out;
    }

    private void checkParameters(Path dir, JsonNode recorded) {
        if (!recorded.isArray() || recorded.size() != parameters.size()) {
            throw new CheckpointException("checkpoint " + dir + " records " + recorded.size()
                    + " optimized tensors, this run optimizes " + parameters.size());
        }
        int i = 0;
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            JsonNode r = recorded.get(i++);
            long[] shape = new long[r.path("shape").size()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = r.path("shape").get(k).asLong();
            }
            if (!e.getKey().equals(r.path("name").asText()) || !Arrays.equals(shape, HostTensors.shape(e.getValue()))) {
                throw new CheckpointException("checkpoint " + dir + " optimized " + r.path("name").asText() + " "
                        + Arrays.toString(shape) + " where this run optimizes " + e.getKey() + " "
                        + Arrays.toString(HostTensors.shape(e.getValue())));
            }
        }
    }
}
