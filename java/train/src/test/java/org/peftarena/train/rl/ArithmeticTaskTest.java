package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.train.data.DataSplit;

/** The embedded arithmetic target and user JSONL tasks. */
class ArithmeticTaskTest {
    @Test
    void problemsAreCorrectDistinctSeededAndInTheirSplit() {
        ArithmeticTask task = new ArithmeticTask();
        assertEquals(ArithmeticTask.Part.LEADING, task.part());
        assertEquals(1, task.maxNewTokens(), "a leading-digit completion is the answer's length");
        List<RlProblem> a = task.generate(300, 7, DataSplit.VALIDATION);
        assertEquals(a, task.generate(300, 7, DataSplit.VALIDATION));
        assertTrue(!a.equals(task.generate(300, 8, DataSplit.VALIDATION)));
        Set<String> seen = new HashSet<>();
        boolean threeDigits = false;
        for (RlProblem p : a) {
            assertTrue(seen.add(p.prompt()), "distinct");
            assertTrue(p.prompt().endsWith("="), "the prompt states no digit of the sum: " + p);
            assertEquals(DataSplit.VALIDATION, DataSplit.of(p.prompt()));
            String[] ops = p.prompt().substring(0, p.prompt().length() - 1).split("\\+", 0);
            int first = Integer.parseInt(ops[0]);
            int second = Integer.parseInt(ops[1]);
            assertTrue(first < 1000 && second < 100, p.toString());
            threeDigits |= first >= 100;
            // the answer is the sum's leading digit
            assertEquals(Integer.toString(first + second).substring(0, 1), p.answer());
        }
        assertTrue(threeDigits);
        int all = 0;
        for (DataSplit s : DataSplit.values()) {
            all += task.count(s);
        }
        assertEquals(task.space(), all);
        assertEquals(100_000, task.space());
        assertThrows(IllegalArgumentException.class, () -> task.generate(task.count(DataSplit.TEST) + 1, 1, DataSplit.TEST));
        assertThrows(IllegalArgumentException.class, () -> new ArithmeticTask(0, 2, 1, ArithmeticTask.Part.LEADING));
        assertThrows(NullPointerException.class, () -> new ArithmeticTask(2, 2, 1, null));
        RlProblem two = new ArithmeticTask(3, 2, 2, ArithmeticTask.Part.LEADING).generate(1, 1, DataSplit.TRAIN).get(0);
        String[] ops = two.prompt().substring(0, two.prompt().length() - 1).split("\\+", 0);
        String sum = Integer.toString(Integer.parseInt(ops[0]) + Integer.parseInt(ops[1]));
        assertEquals(sum.substring(0, Math.min(2, sum.length())), two.answer());
        assertEquals(2, new ArithmeticTask(3, 2, 2, ArithmeticTask.Part.LEADING).maxNewTokens());
    }

    @Test
    void theTrailingPartStatesTheLeadingDigitsInThePrompt() {
        ArithmeticTask task = new ArithmeticTask(2, 2, 1, ArithmeticTask.Part.TRAILING);
        assertEquals(ArithmeticTask.TRAILING_MAX_NEW_TOKENS, task.maxNewTokens());
        for (RlProblem p : task.generate(200, 3, DataSplit.TEST)) {
            int eq = p.prompt().indexOf('=');
            assertEquals(DataSplit.TEST, DataSplit.of(p.prompt().substring(0, eq + 1)));
            String[] ops = p.prompt().substring(0, eq).split("\\+", 0);
            int sum = Integer.parseInt(ops[0]) + Integer.parseInt(ops[1]);
            // the prompt states all but the last digit of the sum, the answer is that digit
            assertEquals(Integer.toString(sum), p.prompt().substring(eq + 1) + p.answer());
            assertEquals(1, p.answer().length());
        }
        RlProblem whole = new ArithmeticTask(2, 2, 3, ArithmeticTask.Part.TRAILING).generate(1, 1, DataSplit.TRAIN).get(0);
        assertTrue(whole.prompt().endsWith("="), "an answer at least as long as the sum states no digit: " + whole);
    }

    @Test
    void builtinAndJsonlSources(@TempDir Path dir) throws Exception {
        List<RlProblem> builtin = RlTasks.load(RlTasks.ARITHMETIC, 3);
        assertEquals(RlTasks.BUILTIN_SIZE, builtin.size());
        assertTrue(builtin.stream().allMatch(p -> DataSplit.of(p.prompt().substring(0, p.prompt().indexOf('=') + 1)) == DataSplit.TRAIN));
        assertEquals(1, RlTasks.defaultMaxNewTokens(RlTasks.ARITHMETIC));
        assertEquals(RlOptions.DEFAULT_MAX_NEW_TOKENS, RlTasks.defaultMaxNewTokens(dir.resolve("tasks.jsonl").toString()));
        Path f = dir.resolve("tasks.jsonl");
        Files.writeString(f, "{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n\n{\"prompt\": \"capital of France:\", \"answer\": \"Paris\"}\n");
        assertEquals(List.of(new RlProblem("2+2=", "4"), new RlProblem("capital of France:", "Paris")), RlTasks.load(f.toString(), 0));
        Files.writeString(f, "{\"prompt\": \"2+2=\", \"answer\": 4}\n");
        RlDataException e = assertThrows(RlDataException.class, () -> RlTasks.load(f.toString(), 0));
        assertTrue(e.getMessage().startsWith(f + ":1: expected"), e.getMessage());
        Files.writeString(f, "{\"prompt\": \"\", \"answer\": \"4\"}\n");
        e = assertThrows(RlDataException.class, () -> RlTasks.load(f.toString(), 0));
        assertTrue(e.getMessage().contains(":1: an RL problem needs a non-empty prompt"), e.getMessage());
        Files.writeString(f, "{\"prompt\": \"2+2=\"");
        assertThrows(RlDataException.class, () -> RlTasks.load(f.toString(), 0));
        assertThrows(RlDataException.class, () -> RlTasks.load(dir.resolve("missing.jsonl").toString(), 0));
        e = assertThrows(RlDataException.class, () -> RlTasks.load("builtin:calculus", 0));
        assertTrue(e.getMessage().contains("known: arithmetic"), e.getMessage());
    }
}
