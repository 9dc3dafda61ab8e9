package org.peftarena.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdditionProblemsTest {
    @Test
    void sameSeedSameProblemsAndAnswersAreSums() {
        AdditionProblems gen = new AdditionProblems(3);
        List<AdditionProblems.Problem> a = gen.generate(500, 5, DataSplit.TRAIN);
        assertEquals(a, gen.generate(500, 5, DataSplit.TRAIN));
        assertNotEquals(a, gen.generate(500, 6, DataSplit.TRAIN));
        Set<String> prompts = new HashSet<>();
        int maxLen = 0;
        for (AdditionProblems.Problem p : a) {
            assertTrue(p.prompt().matches("\\d{1,3}\\+\\d{1,3}="), p.prompt());
            String[] ops = p.prompt().substring(0, p.prompt().length() - 1).split("\\+", 0);
            assertEquals(Integer.parseInt(ops[0]) + Integer.parseInt(ops[1]), Integer.parseInt(p.answer()));
            assertEquals(p.prompt() + p.answer(), p.text());
            assertEquals(DataSplit.TRAIN, DataSplit.of(p.prompt()));
            assertTrue(prompts.add(p.prompt()), "distinct: " + p.prompt());
            maxLen = Math.max(maxLen, ops[0].length());
        }
        assertEquals(3, maxLen);
    }

    @Test
    void splitsNeverShareProblems() {
        AdditionProblems gen = new AdditionProblems(2);
        Set<String> train = new HashSet<>();
        gen.generate(2000, 1, DataSplit.TRAIN).forEach(p -> train.add(p.prompt()));
        gen.generate(300, 1, DataSplit.TEST).forEach(p -> assertTrue(!train.contains(p.prompt()), p.prompt()));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new AdditionProblems(0));
        assertThrows(IllegalArgumentException.class, () -> new AdditionProblems(10));
        assertThrows(IllegalArgumentException.class, () -> new AdditionProblems(1).generate(90, 1, DataSplit.TRAIN));
        assertThrows(IllegalArgumentException.class, () -> new AdditionProblems(2).generate(-1, 1, DataSplit.TRAIN));
    }
}
