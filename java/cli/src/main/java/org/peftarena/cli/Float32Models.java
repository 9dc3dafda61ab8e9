package org.peftarena.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.io.FiniteValues;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelLoadException;
import org.peftarena.model.ModelWeights;
import org.peftarena.peft.PeftMethod;

/**
 * Loads a Hugging Face model directory into float32 tensors that Java owns outright (each one a
 * fresh copy), the form training and merging need whatever dtype the checkpoint stores.
 */
final class Float32Models {
    private Float32Models() {}

    /**
     * The base a method trains on: for methods that {@linkplain PeftMethod#trainsOnStoredBase() train
     * on a stored base}, a bfloat16/float16 checkpoint stays in its dtype, memory-mapped and computed in
     * float32 ({@link HfModelDirectory#loadFrozenBase}), unless {@code widen} asks for float32; every
     * other case (float32 checkpoints included) is {@link #load(Path)}.
     */
    static LlamaModel forTraining(Path dir, PeftMethod method, boolean widen) throws IOException {
        if (!widen && method.trainsOnStoredBase() && dir.resolve(HfModelDirectory.CONFIG_FILE).toFile().isFile()
                && HfModelDirectory.frozenBaseDtype(dir) != ModelDType.FLOAT32) {
            return HfModelDirectory.loadFrozenBase(dir);
        }
        return load(dir);
    }

    static LlamaModel load(Path dir) throws IOException {
        Path configFile = dir.resolve(HfModelDirectory.CONFIG_FILE);
        if (!configFile.toFile().isFile()) {
            throw new ModelLoadException(dir + ": no " + HfModelDirectory.CONFIG_FILE);
        }
        LlamaConfig config = LlamaConfig.load(configFile);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (ShardedCheckpoint store = ShardedCheckpoint.open(dir)) {
            for (String name : ModelWeights.expectedShapes(config).keySet()) {
                if (!store.contains(name)) {
                    throw new ModelLoadException(dir + ": missing tensor " + name);
                }
                float[] values = store.readFloats(name);
                FiniteValues.require(store.source(), name, values);
                tensors.put(name, HostTensors.floats(values, store.info(name).shape()));
            }
        }
        return new LlamaModel(config, new ModelWeights(tensors, ModelDType.FLOAT32));
    }
}
