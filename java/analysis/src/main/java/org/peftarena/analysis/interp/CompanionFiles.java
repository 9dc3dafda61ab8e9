package org.peftarena.analysis.interp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The files besides weights and config that make a model directory usable elsewhere (tokenizer, generation settings). */
public final class CompanionFiles {
    /** Copied when present in the base model's directory. */
    public static final List<String> NAMES = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "generation_config.json", "vocab.json", "merges.txt", "tokenizer.model");

    private CompanionFiles() {}

    /**
     * Copies the companion files of {@code baseDir} that exist into {@code targetDir}.
     *
     * @return the names copied
     * @throws IOException when copying fails
     */
    public static List<String> copy(Path baseDir, Path targetDir) throws IOException {
        Files.createDirectories(targetDir);
        List<String> copied = new java.util.ArrayList<>();
        for (String n : NAMES) {
            Path src = baseDir.resolve(n);
            if (Files.isRegularFile(src)) {
                Files.copy(src, targetDir.resolve(n), StandardCopyOption.REPLACE_EXISTING);
                copied.add(n);
            }
        }
        return copied;
    }
}
