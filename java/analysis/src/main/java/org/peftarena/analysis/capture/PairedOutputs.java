package org.peftarena.analysis.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.weights.ModelUpdates;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;

/**
 * Module outputs of a base model and of its finetuned version on the same prompts, each model
 * running its own full forward pass. An adapter is attached to the already loaded base model, so
 * only one model is in memory at a time.
 *
 * @param base per module, base-model outputs, float32 [n, out]
 * @param tuned per module, finetuned-model outputs on the same tokens, float32 [n, out]
 */
public record PairedOutputs(Map<String, Tensor> base, Map<String, Tensor> tuned) {
    /**
     * @param baseDir base model directory (with tokenizer.json)
     * @param tunedDir merged model directory or HF PEFT adapter directory
     * @param prompts prompt set
     * @param maxLength prompts are truncated to this many tokens
     * @param select which linear modules to capture
     * @param maxTokens rows kept per module
     * @param device where the models run (the captured rows are copied to the host)
     * @return outputs of both models
     * @throws IOException when a model, tokenizer or adapter cannot be read
     */
    public static PairedOutputs collect(Path baseDir, Path tunedDir, List<String> prompts, int maxLength,
                                        Predicate<String> select, int maxTokens, org.bytedeco.pytorch.Device device)
            throws IOException {
        try (TextTokenizer tokenizer = Tokenizers.load(baseDir)) {
            LlamaModel model = HfModelDirectory.load(baseDir).moveTo(device);
            Map<String, Tensor> x0 = PromptActivations.collect(model, tokenizer, prompts, maxLength, select,
                    ActivationCollector.Side.OUTPUT, maxTokens);
            LlamaModel tuned;
            if (ModelUpdates.isAdapterDir(tunedDir)) {
                AdapterCheckpoint adapter = AdapterIO.load(tunedDir);
                PeftModel peft = PeftModel.attach(model, adapter.config(), adapter.targets(), 0);
                peft.adapters().load(adapter.tensors());
                tuned = model;
            } else {
                model = null;
                tuned = HfModelDirectory.load(tunedDir).moveTo(device);
            }
            Map<String, Tensor> x1 = PromptActivations.collect(tuned, tokenizer, prompts, maxLength, select,
                    ActivationCollector.Side.OUTPUT, maxTokens);
            return new PairedOutputs(x0, x1);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("closing the tokenizer failed", e);
        }
    }
}
