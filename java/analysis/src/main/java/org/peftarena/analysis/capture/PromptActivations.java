package org.peftarena.analysis.capture;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;

/** Runs prompts through a model one at a time (so no padding) and collects module activations. */
public final class PromptActivations {
    private PromptActivations() {}

    /**
     * @param model the decoder
     * @param tokenizer its tokenizer
     * @param prompts the prompt set, in order
     * @param maxLength prompts are truncated to this many tokens
     * @param modules which linear modules to capture
     * @param side inputs or outputs
     * @param maxTokens rows kept per module at most
     * @return per module, float32 [n, d] with {@code n <= maxTokens}, tokens in prompt order
     * @throws DiagnosticInputException when no prompt yields a token or no module is selected
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Map<String, Tensor> collect(LlamaModel model, TextTokenizer tokenizer, List<String> prompts,
                                              int maxLength, Predicate<String> modules,
                                              ActivationCollector.Side side, int maxTokens) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        ActivationCollector collector = new ActivationCollector(side, maxTokens);
        int used = 0;
        try (NoGradGuard g = new NoGradGuard(); AutoCloseable c = model.linears().capture(modules, collector)) {
            for (String prompt : prompts) {
                if (collector.full()) {
                    break;
                }
                int[] ids = tokenizer.encode(prompt);
                int n = Math.min(ids.length, maxLength);
                if (n == 0) {
                    continue;
                }
                long[] row = new long[n];
                for (int i = 0; i < n; i++) {
                    row[i] = ids[i];
                }
                model.forward(HostTensors.longs(row, 1, n), null);
                used++;
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not detach the activation capture", e);
        }
        Map<String, Tensor> out = collector.matrices();
        if (used == 0 || out.isEmpty()) {
            throw new DiagnosticInputException(used == 0 ? "no prompt produced a token"
                    : "no linear module of the model matches the module selection");
        }
        return out;
    }
}
