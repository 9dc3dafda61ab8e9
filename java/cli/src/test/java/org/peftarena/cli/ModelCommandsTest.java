package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;

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
    void generateContinuesThePromptDeterministically() throws Exception {
        String prompt = "The European Parliament";
        CliRunner a = CliRunner.run("generate", SHIPPED.toString(), "--prompt", prompt, "--max-new-tokens", "16");
        CliRunner b = CliRunner.run("generate", SHIPPED.toString(), "--prompt", prompt, "--max-new-tokens", "16");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(a.out(), b.out());
        assertEquals(prompt + referenceGreedy(prompt, 16) + System.lineSeparator(), a.out());
    }

    /**
     * Greedy decoding without the key/value cache: every step runs the model's forward over the whole
     * prefix (BOS + prompt + tokens so far) and takes the argmax of the last position's logits here.
     * Each step's top-2 gap must exceed what fp32 reassociation between a cached and a full forward
     * can move a logit (~1e-5 for this width-192 model), so the cached decode must pick the same token.
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static String referenceGreedy(String prompt, int maxNewTokens) throws Exception {
        TextTokenizer tokenizer = Tokenizers.load(SHIPPED);
        LlamaModel model = HfModelDirectory.load(SHIPPED, ModelDType.FLOAT32);
        List<Long> seq = new ArrayList<>();
        tokenizer.bosId().ifPresent(id -> seq.add((long) id));
        for (int id : tokenizer.encode(prompt)) {
            seq.add((long) id);
        }
        List<Integer> generated = new ArrayList<>();
        for (int step = 0; step < maxNewTokens; step++) {
            float[] last;
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                long[] ids = seq.stream().mapToLong(Long::longValue).toArray();
                Tensor logits = model.forward(HostTensors.longs(ids, 1, ids.length), null); // [1, T, V]
                last = HostTensors.toFloats(logits.select(1, ids.length - 1)); // [V]
            }
            int best = 0;
            for (int v = 1; v < last.length; v++) {
                best = last[v] > last[best] ? v : best;
            }
            for (int v = 0; v < last.length; v++) {
                assertTrue(v == best || last[best] - last[v] > 1e-4, "near tie at step " + step + " (token " + v + ")");
            }
            if (best == tokenizer.eosId().orElse(-1)) {
                break;
            }
            generated.add(best);
            seq.add((long) best);
        }
        assertTrue(generated.size() > 1, "the reference continues the prompt");
        return tokenizer.decode(generated.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void pretrainRejectsUnknownRecipeAndBadSteps() {
        assertEquals(Main.EXIT_USAGE, CliRunner.run("pretrain", "--recipe", "huge").exitCode());
        assertEquals(Main.EXIT_USAGE, CliRunner.run("pretrain", "--steps", "0").exitCode());
    }
}
