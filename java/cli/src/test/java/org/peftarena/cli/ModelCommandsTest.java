package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelCommandsTest {
    private static final Path SHIPPED = Path.of("../../models/tiny-europarl").toAbsolutePath().normalize();

    @Test
    void modelInfoSummarisesTheShippedModel() {
        assertTrue(Files.isDirectory(SHIPPED), SHIPPED.toString());
        CliRunner r = CliRunner.run("model", "info", SHIPPED.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"num_hidden_layers\" : 4"), r.out());
        assertTrue(r.out().contains("model.layers.0.self_attn.q_proj"), r.out());
        assertTrue(r.out().contains("\"parameters\" : 1624320"), r.out());
    }

    @Test
    void modelInfoOnMissingDirectoryFailsClearly() {
        CliRunner r = CliRunner.run("model", "info", "/nonexistent/model");
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("error:"), r.err());
    }

    @Test
    void generateContinuesThePromptDeterministically() {
        CliRunner a = CliRunner.run("generate", SHIPPED.toString(), "--prompt", "The European Parliament", "--max-new-tokens", "16");
        CliRunner b = CliRunner.run("generate", SHIPPED.toString(), "--prompt", "The European Parliament", "--max-new-tokens", "16");
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(a.out().startsWith("The European Parliament"), a.out());
        assertTrue(a.out().strip().length() > "The European Parliament".length(), a.out());
        assertEquals(a.out(), b.out());
    }

    @Test
    void pretrainRejectsUnknownRecipeAndBadSteps() {
        assertEquals(Main.EXIT_USAGE, CliRunner.run("pretrain", "--recipe", "huge").exitCode());
        assertEquals(Main.EXIT_USAGE, CliRunner.run("pretrain", "--steps", "0").exitCode());
    }
}
