package org.peftarena.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunTraining;
import org.peftarena.train.TrainingProgress;
import org.slf4j.LoggerFactory;

/**
 * Drives the arena's progress display as the arena command sets it up (stderr, its terminal width,
 * SLF4J lines routed above the bars), with a log line in the middle of training; run by
 * {@link ProgressTerminalTest} under a pseudo-terminal and with stderr piped.
 */
public final class ProgressDemo {
    /** The log line written halfway through training. */
    static final String LOG_LINE = "linear path alpha 0.5: Target 36.18 General 21.40";
    /** An INFO line of a library, shown only with -v. */
    static final String LIBRARY_LINE = "library chatter";

    private ProgressDemo() {
    }

    @SuppressWarnings("try") // the routing is held for the demo's extent
    public static void main(String[] args) throws Exception {
        Verbosity.configure(args); // as Main does, before any logger exists
        LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils").warn("CUDA not found");
        LoggerFactory.getLogger("org.example.library").info(LIBRARY_LINE);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8));
        boolean terminal = StatusLines.stderrIsTerminal();
        StatusLines status = new StatusLines(err, terminal, terminal ? StatusLines.terminalWidth() : StatusLines.DEFAULT_WIDTH);
        ArenaProgress p = new ArenaProgress(status);
        EvaluationSettings eval = new EvaluationSettings(1000, 10, 0, 4, 7, 0);
        RunSpec base = new RunSpec(RunKind.BASE, "/m", "f", "base", 0, "base", 0, 0, "de", List.of("en"), 0,
                List.of("q_proj"), null, eval, Map.of(), null);
        RunSpec lora = new RunSpec(RunKind.FINETUNE, "/m", "f", "lora", 16, "r16-medium-budget", 10, 10, "de-europarl",
                List.of("en"), 12345, List.of("q_proj"), new RunTraining(60, 8, 128, 1e-3, 0.1, 0.01, 1, 0), eval,
                Map.of(), base.id());
        try (AutoCloseable routed = terminal ? status.routeSystemErr() : () -> { }) {
            p.arenaStarted(new ArenaPlan(List.of(base, lora)), 1);
            p.runSkipped(0, base);
            p.runStarted(1, lora);
            p.runPhase(1, lora, "training lora with a rather long phase description");
            for (int s = 1; s <= 60; s++) {
                p.runStep(1, lora, new TrainingProgress(s, 60, 2.0 / s, 1e-3, 1.0, 4096L * s, s * 0.5));
                if (s == 30) {
                    LoggerFactory.getLogger("org.peftarena.demo").info(LOG_LINE);
                }
                Thread.sleep(10);
            }
            p.runPhase(1, lora, "evaluating lora");
            p.runFinished(1, lora, new RunResult(lora.id(), Map.of(), List.of(), List.of(), 10, 1, 1, 2.5, 100, "cpu",
                    Map.of(), Map.of(), "model"));
        }
        p.close();
        err.flush();
    }
}
