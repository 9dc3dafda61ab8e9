package org.peftarena.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peftarena.train.data.DataSplit;

class MultiplicationProblemsTest {
    @Test
    void answersAreProductsAndEveryProblemIsInItsSplit() {
        for (PromptResponse p : new MultiplicationProblems(3, 2).generate(500, 9, DataSplit.TRAIN)) {
            String[] ab = p.prompt().substring(0, p.prompt().length() - 1).split("\\*", 0);
            assertEquals(Long.parseLong(ab[0]) * Long.parseLong(ab[1]), Long.parseLong(p.response()), p.toString());
            assertEquals(DataSplit.TRAIN, DataSplit.of(p.prompt()));
        }
    }

    @Test
    void sameSeedSameProblemsOtherSeedOtherOrder() {
        MultiplicationProblems m = new MultiplicationProblems();
        assertEquals(m.generate(50, 1, DataSplit.TEST), m.generate(50, 1, DataSplit.TEST));
        assertTrue(!m.generate(50, 1, DataSplit.TRAIN).equals(m.generate(50, 2, DataSplit.TRAIN)));
    }

    @Test
    void trainAndTestNeverOverlapAndTogetherWithValidationCoverTheSpace() {
        MultiplicationProblems m = new MultiplicationProblems(2, 1);
        Set<String> train = prompts(m.all(3, DataSplit.TRAIN));
        Set<String> test = prompts(m.all(3, DataSplit.TEST));
        Set<String> validation = prompts(m.all(3, DataSplit.VALIDATION));
        assertTrue(train.stream().noneMatch(test::contains));
        assertEquals(1000, train.size() + test.size() + validation.size());
        assertTrue(test.size() > 50 && train.size() > 700, train.size() + " / " + test.size());
    }

    @Test
    void askingForMoreThanTheSplitHoldsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> new MultiplicationProblems(1, 1).generate(50, 1, DataSplit.TEST));
        assertThrows(IllegalArgumentException.class, () -> new MultiplicationProblems(5, 1));
    }

    private static Set<String> prompts(List<PromptResponse> ps) {
        Set<String> s = new HashSet<>();
        ps.forEach(p -> s.add(p.prompt()));
        assertEquals(ps.size(), s.size(), "distinct");
        return s;
    }
}
