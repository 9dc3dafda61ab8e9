package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.train.data.DataSplit;

/**
 * The shipped base model earns a reward on the embedded target often enough for RL to learn: pass@8 >= 10%,
 * and pass@1 well above the 10% of a random digit (the skill GRPO sharpens).
 */
class ArithmeticTargetTest {
    @Test
    void theShippedBaseModelHasPassAtEightOfAtLeastTenPercent() throws Exception {
        LlamaModel model = HfModelDirectory.load(RolloutSamplerTest.shipped());
        ArithmeticTask task = new ArithmeticTask();
        List<RlProblem> problems = task.generate(48, 11, DataSplit.VALIDATION);
        RlEvaluation.Scores s;
        try (var tokenizer = Tokenizers.load(RolloutSamplerTest.shipped())) {
            s = new RlEvaluation(32).evaluate(model, tokenizer, problems, new ExactMatchReward(),
                    new SamplingOptions(task.maxNewTokens(), 1.0, 0), 16, PassAtK.defaultKs(), 5);
        }
        assertEquals(48, s.problems());
        assertTrue(s.passAt(8) >= 10.0, "pass@8 " + s.passAtK());
        assertTrue(s.passAt(1) >= 20.0, "pass@1 above chance: " + s.passAtK());
        assertTrue(s.passAt(1) <= s.passAt(2) && s.passAt(2) <= s.passAt(4) && s.passAt(4) <= s.passAt(8)
                && s.passAt(8) <= s.passAt(16), "pass@k grows with k: " + s.passAtK());
    }
}
