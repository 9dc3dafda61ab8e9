package org.peftarena.arena.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.TinyModels;
import org.peftarena.train.data.PromptResponse;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.Generator;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.ByteTokenizer;

class ProblemScorerTest {
    private static final int ANSWER_TOKENS = 4;

    @TempDir
    Path tmp;

    @Test
    void exactMatchCountsReferencesEqualToTheGreedyAnswerAcrossBatches() throws Exception {
        LlamaModel model = TinyModels.load(tmp, 5);
        ByteTokenizer tok = new ByteTokenizer();
        List<String> prompts = List.of("1+1=", "22+3=", "7*8=", "abc", "x", "hello ", "9-4=", "0+0=", "z", "12");
        Generator g = new Generator(model);
        List<PromptResponse> problems = new ArrayList<>();
        int expected = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prepend(ByteTokenizer.BOS, tok.encode(prompts.get(i)));
            // the random model never stops early, so the scorer generates exactly ANSWER_TOKENS (the longest reference)
            String answer = tok.decode(g.generate(List.of(p),
                    GenerationOptions.greedy(ANSWER_TOKENS, ByteTokenizer.EOS, ByteTokenizer.PAD)).get(0)).strip();
            boolean keep = i % 2 == 0 && !answer.isEmpty();
            expected += keep ? 1 : 0;
            problems.add(new PromptResponse(prompts.get(i), keep ? answer : "#".repeat(ANSWER_TOKENS)));
        }
        ProblemScore s = new ProblemScorer(tok, 3, 0).score(model, problems);
        assertEquals(problems.size(), s.total());
        assertEquals(expected, s.correct());
        assertEquals(100.0 * expected / problems.size(), s.percent(), 1e-12);
    }

    private static int[] prepend(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
