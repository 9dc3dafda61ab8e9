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
        List<RlProblem> a = task.generate(300, 7, DataSplit.VALIDATION);
        assertEquals(a, task.generate(300, 7, DataSplit.VALIDATION));
        assertTrue(!a.equals(task.generate(300, 8, DataSplit.VALIDATION)));
        Set<String> seen = new HashSet<>();
        for (RlProblem p : a) {
            assertTrue(seen.add(p.prompt()), "distinct");
            int eq = p.prompt().indexOf('=');
            assertEquals(DataSplit.VALIDATION, DataSplit.of(p.prompt().substring(0, eq + 1)));
            String[] ops = p.prompt().substring(0, eq).split("\\+", 0);
            int sum = Integer.parseInt(ops[0]) + Integer.parseInt(ops[1]);
            // the prompt states all but the last digit of the sum, the answer is that digit
            assertEquals(Integer.toString(sum), p.prompt().substring(eq + 1) + p.answer());
            assertEquals(1, p.answer().length());
            assertTrue(Integer.parseInt(ops[0]) < 100 && Integer.parseInt(ops[1]) < 100);
        }
        int all = 0;
        for (DataSplit s : DataSplit.values()) {
            all += task.count(s);
        }
        assertEquals(task.space(), all);
        assertThrows(IllegalArgumentException.class, () -> task.generate(task.count(DataSplit.TEST) + 1, 1, DataSplit.TEST));
        assertThrows(IllegalArgumentException.class, () -> new ArithmeticTask(0, 2, 1));
        RlProblem whole = new ArithmeticTask(2, 2, 3).generate(1, 1, DataSplit.TRAIN).get(0);
        assertTrue(whole.prompt().endsWith("="), "an answer at least as long as the sum states no digit: " + whole);
    }

    @Test
    void builtinAndJsonlSources(@TempDir Path dir) throws Exception {
        List<RlProblem> builtin = RlTasks.load(RlTasks.ARITHMETIC, 3);
        assertEquals(RlTasks.BUILTIN_SIZE, builtin.size());
        assertTrue(builtin.stream().allMatch(p -> DataSplit.of(p.prompt().substring(0, p.prompt().indexOf('=') + 1)) == DataSplit.TRAIN));
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
