package org.peftarena.peft;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;

/** A tiny random decoder with {@link TinyLinears#CONFIG}'s shape, built in memory. */
final class TinyModel {
    private TinyModel() {}

    static LlamaModel create(long seed) {
        return new LlamaModel(TinyLinears.CONFIG, WeightInitializer.initialize(TinyLinears.CONFIG, ModelDType.FLOAT32, seed, 0.2));
    }

    /** Token ids {@code (2, 7)} below the vocabulary size. */
    static Tensor tokens() {
        long[] ids = new long[14];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) ((i * 7 + 3) % TinyLinears.CONFIG.vocabSize());
        }
        return HostTensors.longs(ids, 2, 7);
    }
}
