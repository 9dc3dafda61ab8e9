package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunTraining;
import org.peftarena.train.TrainingProgress;

class ArenaProgressTest {
    private static final EvaluationSettings EVAL = new EvaluationSettings(10, 1, 0, 1, 1, 0);
    private static final RunSpec BASE = new RunSpec(RunKind.BASE, "/m", "f", "base", 0, "base", 0, 0, "de", List.of("en"),
            0, List.of("q_proj"), null, EVAL, Map.of(), null);
    private static final RunSpec LORA = new RunSpec(RunKind.FINETUNE, "/m", "f", "lora", 4, "r4", 10, 10, "de",
            List.of("en"), 1, List.of("q_proj"), new RunTraining(100, 8, 128, 1e-3, 0.1, 0.01, 1, 0), EVAL, Map.of(),
            BASE.id());

    @Test
    void terminalModeDrawsAnArenaBarAndARunBarWithEta() {
        StringWriter out = new StringWriter();
        ArenaProgress p = new ArenaProgress(new PrintWriter(out), true);
        p.arenaStarted(new ArenaPlan(List.of(BASE, LORA)), 1);
        p.runSkipped(0, BASE);
        p.runStarted(1, LORA);
        p.runPhase(1, LORA, "training lora");
        p.runStep(1, LORA, new TrainingProgress(50, 100, 2.5, 1e-3, 1.0, 5000, 10.0));
        p.runPhase(1, LORA, "still training");
        String s = out.toString();
        assertTrue(s.contains("arena [") && s.contains("1/2 runs"), s);
        assertTrue(s.contains("run   [##########..........] lora r4 de s1"), s);
        assertTrue(s.contains("step 50/100 loss 2.500"), s);
        assertTrue(s.contains("ETA 0:10"), "half the steps in 10 s leaves 10 s: " + s);
        assertTrue(s.contains("\033[1A"), "redrawn in place");
        Screen screen = new Screen(80).apply(s);
        assertEquals(0, screen.wraps(), screen.lines().toString());
        assertEquals(3, screen.lines().size(), "the first line and two bars, no copies: " + screen.lines());
    }

    @Test
    void aWideTerminalShowsThePhaseAndThroughputTooAndLinesGoAboveTheBars() {
        StringWriter out = new StringWriter();
        ArenaProgress p = new ArenaProgress(new StatusLines(new PrintWriter(out), true, 160));
        p.arenaStarted(new ArenaPlan(List.of(BASE, LORA)), 1);
        p.runSkipped(0, BASE);
        p.runStarted(1, LORA);
        p.runStep(1, LORA, new TrainingProgress(50, 100, 2.5, 1e-3, 1.0, 5000, 10.0));
        p.notice("a message");
        p.runPhase(1, LORA, "training lora");
        List<String> lines = new Screen(160).apply(out.toString()).lines();
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("a message", lines.get(1), "the message above the bars: " + lines);
        assertTrue(lines.get(3).contains("lora r4 de s1: training lora, step 50/100 loss 2.500, 500 tok/s, ETA 0:10"),
                lines.toString());
    }

    @Test
    void logModePrintsLinesPerRunAndEveryTenthOfTheSteps() {
        StringWriter out = new StringWriter();
        ArenaProgress p = new ArenaProgress(new PrintWriter(out), false);
        p.arenaStarted(new ArenaPlan(List.of(BASE, LORA)), 0);
        p.runStarted(1, LORA);
        for (int s = 1; s <= 100; s++) {
            p.runStep(1, LORA, new TrainingProgress(s, 100, 2.0, 1e-3, 1.0, 100L * s, s));
        }
        String log = out.toString();
        assertEquals(10, log.lines().filter(l -> l.contains("loss 2.000")).count(), log);
        assertTrue(log.contains("[2/2] lora r4"), log);
        assertTrue(!log.contains("\033["), "no terminal codes in log mode");
    }

    @Test
    void clockFormatsMinutesAndHours() {
        assertEquals("0:59", ArenaProgress.clock(59.4));
        assertEquals("2:05", ArenaProgress.clock(125));
        assertEquals("1:01:01", ArenaProgress.clock(3661));
    }
}
