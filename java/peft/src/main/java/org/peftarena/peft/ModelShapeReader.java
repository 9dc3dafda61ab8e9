package org.peftarena.peft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;

/** Reads the {@link ModelShape} of a Llama-family model from its Hugging Face {@code config.json}. */
public final class ModelShapeReader {
    private ModelShapeReader() {}

    /**
     * Reads {@code config.json} (or the {@code config.json} inside a model directory).
     *
     * @throws PeftException if the file is missing, malformed or describes an unsupported model
     */
    public static ModelShape read(Path configOrDir) {
        Path file = Files.isDirectory(configOrDir) ? configOrDir.resolve("config.json") : configOrDir;
        try {
            return ModelShape.of(LlamaConfig.load(file));
        } catch (ModelConfigException | IllegalArgumentException e) {
            throw new PeftException("invalid model config " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PeftException("cannot read model config " + file + ": " + e, e);
        }
    }
}
