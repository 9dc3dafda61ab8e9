package org.peftarena.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.plan.ArenaPlan;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.train.TrainingProgress;

/**
 * Two progress bars on the error stream: the arena (runs, elapsed, ETA) and the current run
 * (phase, step, loss, throughput, ETA), each within the terminal's width (what does not fit is
 * left out, least important first). On a terminal they redraw in place, with messages and log
 * lines printed above them; otherwise one line is printed per run start and finish and every
 * tenth of a run's steps.
 */
final class ArenaProgress implements ArenaListener {
    /** Work units a run spends evaluating, in training-step equivalents (an estimate for the ETA). */
    private static final int EVAL_UNITS = 20;
    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final StatusLines status;
    private final boolean interactive;
    private ArenaPlan plan;
    private long start;
    private double totalUnits;
    private double doneUnits;
    private double skippedUnits;
    private int done;
    private String runLabel = "";
    private String runShort = "";
    private String runPhase = "";
    private String stepStatus = "";
    private String runSpeed = "";
    private String runEta = "";
    private int runIndex;
    private int step;
    private int steps;
    private long lastDraw;
    private int lastLoggedTenth = -1;

    /** Bars for an 80-column terminal (or log lines). */
    ArenaProgress(PrintWriter err, boolean interactive) {
        this(new StatusLines(err, interactive, StatusLines.DEFAULT_WIDTH));
    }

    ArenaProgress(StatusLines status) {
        this.status = status;
        this.interactive = status.terminal();
    }

    private static int units(RunSpec s) {
        return (s.kind() == RunKind.FINETUNE ? s.training().steps() : 0) + EVAL_UNITS;
    }

    @Override
    public void arenaStarted(ArenaPlan plan, int finished) {
        this.plan = plan;
        start = System.nanoTime();
        plan.runs().forEach(s -> totalUnits += units(s));
        line(String.format(Locale.ROOT, "arena: %d runs, %d already finished", plan.size(), finished));
    }

    @Override
    public void runSkipped(int index, RunSpec spec) {
        done++;
        skippedUnits += units(spec);
        doneUnits += units(spec);
    }

    @Override
    public void runStarted(int index, RunSpec spec) {
        runIndex = index;
        runLabel = label(spec);
        runShort = shortLabel(spec);
        step = 0;
        steps = spec.kind() == RunKind.FINETUNE ? spec.training().steps() : 0;
        lastLoggedTenth = -1;
        runPhase = "starting";
        stepStatus = "";
        runSpeed = "";
        runEta = "";
        if (!interactive) {
            line(String.format(Locale.ROOT, "[%d/%d] %s", index + 1, plan.size(), runLabel));
        }
        draw(true);
    }

    private static String label(RunSpec spec) {
        return spec.kind() == RunKind.BASE ? "base model on " + spec.target()
                : spec.method() + " " + spec.budget() + (spec.size() > 0 ? " (size " + spec.size() + ")" : "") + " on "
                + spec.target() + " seed " + spec.seed();
    }

    /** The run in a few characters, for the bar: {@code lora r4 de s1}. */
    private static String shortLabel(RunSpec spec) {
        return spec.kind() == RunKind.BASE ? "base " + spec.target()
                : spec.method() + " " + spec.budget() + " " + spec.target() + " s" + spec.seed();
    }

    @Override
    public void notice(String message) {
        line(message);
    }

    @Override
    public void arrayProgress(int queued, int running, int finished, int failed) {
        String array = String.format(Locale.ROOT, "array: %d queued, %d running, %d done, %d failed", queued, running,
                finished, failed);
        if (interactive) {
            runLabel = array;
            runShort = array;
            runPhase = "";
            draw(true);
        } else {
            line(array);
        }
    }

    @Override
    public void runPhase(int index, RunSpec spec, String phase) {
        runPhase = phase;
        draw(true);
    }

    @Override
    public void runStep(int index, RunSpec spec, TrainingProgress p) {
        doneUnits += p.step() - step;
        step = p.step();
        stepStatus = String.format(Locale.ROOT, "step %d/%d loss %.3f", p.step(), p.totalSteps(), p.loss());
        runSpeed = String.format(Locale.ROOT, "%.0f tok/s", p.tokensPerSecond());
        runEta = eta(p.elapsedSeconds(), p.fractionDone());
        if (!interactive) {
            int tenth = (int) (10L * p.step() / p.totalSteps());
            if (tenth != lastLoggedTenth && tenth < 10) {
                lastLoggedTenth = tenth;
                line("  " + stepStatus + " " + runSpeed + runEta);
            }
        }
        draw(false);
    }

    @Override
    public void runEvaluated(int index, RunSpec spec, int at, Map<String, Double> scores) {
        if (!interactive) {
            StringBuilder sb = new StringBuilder("  scores at step " + at + ":");
            scores.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.2f", k, v)));
            line(sb.toString());
        }
    }

    @Override
    public void runFinished(int index, RunSpec spec, RunResult result) {
        runIndex = index;
        runLabel = label(spec);
        finish(spec, String.format(Locale.ROOT, "done in %.1f s", result.totalSeconds()));
    }

    @Override
    public void runFailed(int index, RunSpec spec, Exception error) {
        runIndex = index;
        runLabel = label(spec);
        finish(spec, "FAILED: " + error.getMessage());
    }

    private void finish(RunSpec spec, String what) {
        doneUnits += units(spec) - step;
        done++;
        status.show(List.of());
        line(String.format(Locale.ROOT, "[%d/%d] %s: %s", runIndex + 1, plan.size(), runLabel, what));
        runLabel = "";
        runShort = "";
    }

    private String eta(double elapsed, double fraction) {
        if (fraction <= 0 || fraction >= 1) {
            return "";
        }
        return String.format(Locale.ROOT, ", ETA %s", clock(elapsed * (1 - fraction) / fraction));
    }

    private void draw(boolean force) {
        if (!interactive || plan == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - start) / 1e9;
        double fraction = totalUnits == skippedUnits ? 1 : (doneUnits - skippedUnits) / (totalUnits - skippedUnits);
        double arenaFraction = totalUnits == 0 ? 1 : doneUnits / totalUnits;
        String arena = String.format(Locale.ROOT, "arena %s %d/%d runs  %s%s", bar(arenaFraction), done, plan.size(),
                clock(elapsed), eta(elapsed, fraction));
        double runFraction = steps == 0 ? 0 : (double) step / steps;
        status.show(runShort.isEmpty() ? List.of(arena) : List.of(arena, runLine(runFraction)));
    }

    /**
     * The run's bar and as much of its state as fits: the phase goes first, then the throughput,
     * so the step, loss and ETA stay on an 80-column terminal.
     */
    private String runLine(double runFraction) {
        String head = "run   " + bar(runFraction) + " " + runShort;
        String eta = runEta.isEmpty() ? "" : runEta;
        boolean stepping = !stepStatus.isEmpty();
        for (int drop = 0; drop <= 2; drop++) {
            StringBuilder sb = new StringBuilder(head);
            String sep = ": ";
            if (drop < 1 && !runPhase.isEmpty()) {
                sb.append(sep).append(runPhase);
                sep = ", ";
            }
            if (stepping) {
                sb.append(sep).append(stepStatus);
                sep = ", ";
                if (drop < 2 && !runSpeed.isEmpty()) {
                    sb.append(sep).append(runSpeed);
                }
            }
            sb.append(eta);
            if (sb.length() <= status.columns() || drop == 2) {
                return sb.toString();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private void clear() {
        status.clear();
    }

    private void line(String s) {
        status.println(s);
        draw(true);
    }

    private static String bar(double f) {
        int n = (int) Math.round(Math.max(0, Math.min(1, f)) * WIDTH);
        return "[" + "#".repeat(n) + ".".repeat(WIDTH - n) + "]";
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Removes the bars before the final output. */
    void close() {
        clear();
    }
}
