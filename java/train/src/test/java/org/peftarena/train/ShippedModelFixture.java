package org.peftarena.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.train.pretrain.PretrainOptions;

/** Where the tests of this module find the shipped model (models/tiny-europarl above the working directory). */
public final class ShippedModelFixture {
    private ShippedModelFixture() {
    }

    /**
     * @return the shipped model's directory
     * @throws IllegalStateException when no parent of the working directory holds it
     */
    public static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("models").resolve(PretrainOptions.TINY_EUROPARL);
            if (Files.isRegularFile(candidate.resolve(HfModelDirectory.CONFIG_FILE))) {
                return candidate;
            }
        }
        throw new IllegalStateException("models/" + PretrainOptions.TINY_EUROPARL + " not found above "
                + Path.of("").toAbsolutePath());
    }
}
