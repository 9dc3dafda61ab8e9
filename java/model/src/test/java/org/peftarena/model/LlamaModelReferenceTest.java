package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.formats.config.LlamaConfig;

/** LibTorch logits and loss against the independent double-precision reference. */
class LlamaModelReferenceTest {
    /** fp32 accumulation over widths of a few dozen stays far below this; see the assert message on failure. */
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    static Stream<Arguments> configs() {
        return Stream.of(Arguments.of("qwen2 GQA bias tied", TinyModels.qwen2Tied()),
                Arguments.of("llama3 GQA scaled rope untied", TinyModels.llama3Scaled()));
    }

    private static final int[][] SEQUENCES = {
        {1, 5, 9, 2, 7, 3, 11, 4, 8, 6, 12, 0},
        {3, 3, 14, 2, 1},
        {7},
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void logitsMatchReferenceWithRightPadding(String label, LlamaConfig config) {
        Map<String, float[]> arrays = TinyModels.randomArrays(config, 42);
        LlamaModel model = new LlamaModel(config, TinyModels.toWeights(config, arrays, ModelDType.FLOAT32));
        ReferenceDecoder ref = new ReferenceDecoder(config, arrays);
        int b = SEQUENCES.length;
        int t = SEQUENCES[0].length;
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < SEQUENCES[i].length; j++) {
                ids[i * t + j] = SEQUENCES[i][j];
                mask[i * t + j] = 1;
            }
        }
        int v = config.vocabSize();
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            float[] logits = HostTensors.toFloats(model.forward(HostTensors.longs(ids, b, t),
                    HostTensors.longs(mask, b, t)));
            for (int i = 0; i < b; i++) {
                double[][] expected = ref.logits(SEQUENCES[i]);
                for (int j = 0; j < SEQUENCES[i].length; j++) {
                    double[] actual = new double[v];
                    for (int k = 0; k < v; k++) {
                        actual[k] = logits[(i * t + j) * v + k];
                    }
                    Close.assertClose(label + " row " + i + " position " + j, expected[j], actual, RTOL, ATOL);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void lossIsShiftedMeanCrossEntropyOverScoredLabels(String label, LlamaConfig config) {
        Map<String, float[]> arrays = TinyModels.randomArrays(config, 7);
        LlamaModel model = new LlamaModel(config, TinyModels.toWeights(config, arrays, ModelDType.FLOAT32));
        int[] seq = SEQUENCES[0];
        int t = seq.length;
        long[] ids = new long[t];
        long[] labels = new long[t];
        for (int j = 0; j < t; j++) {
            ids[j] = seq[j];
            labels[j] = j % 3 == 0 ? CausalLmLoss.IGNORE_INDEX : seq[j];
        }
        double[][] logits = new ReferenceDecoder(config, arrays).logits(seq);
        double sum = 0;
        int count = 0;
        for (int j = 1; j < t; j++) {
            if (labels[j] == CausalLmLoss.IGNORE_INDEX) {
                continue;
            }
            double[] row = logits[j - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (double x : row) {
                max = Math.max(max, x);
            }
            double z = 0;
            for (double x : row) {
                z += Math.exp(x - max);
            }
            sum += -(row[(int) labels[j]] - max - Math.log(z));
            count++;
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor labelTensor = HostTensors.longs(labels, 1, t);
            Tensor loss = model.loss(HostTensors.longs(ids, 1, t), null, labelTensor);
            assertEquals(count, CausalLmLoss.scoredCount(labelTensor));
            assertEquals(sum / count, loss.item_double(), 1e-5 * Math.abs(sum / count), label);
        }
    }
}
