package org.peftarena.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingProgress;

/**
 * Training progress of {@code train} and {@code pretrain} through the arena's {@link StatusLines}: on a
 * terminal one bar redrawn in place within the terminal's width, with log lines printed above it;
 * elsewhere a plain line every so many steps (and at the last), with no carriage returns or escape
 * codes. Nothing is shown with {@code -q}.
 */
final class TrainingStatus implements ProgressListener {
    /** Width of the bar itself, in characters. */
    private static final int BAR_WIDTH = 20;

    private final StatusLines status;
    private final int every;
    private int lastTenth = -1;

    private TrainingStatus(StatusLines status, int every) {
        this.status = status;
        this.every = every;
    }

    /** A plain line every {@code every} steps when stderr is not a terminal ({@code 0}: only the bar, if any). */
    static TrainingStatus everySteps(StatusLines status, int every) {
        return new TrainingStatus(status, Math.max(0, every));
    }

    /** A plain line at every tenth of the run when stderr is not a terminal. */
    static TrainingStatus tenths(StatusLines status) {
        return new TrainingStatus(status, -1);
    }

    /** The display on a command's error stream: bars when it is a terminal (and not {@code -q}), plain lines elsewhere. */
    static StatusLines on(PrintWriter err) {
        boolean terminal = !Verbosity.quiet() && StatusLines.stderrIsTerminal();
        return new StatusLines(err, terminal, terminal ? StatusLines.terminalWidth() : StatusLines.DEFAULT_WIDTH);
    }

    /**
     * One step as text: {@code step 8/100 loss 2.3456 lr 1.00e-02 grad 0.123 1,234 tok/s ETA 0:42}. The gradient
     * norm has three significant digits ({@code grad 0.000123}, {@code grad 4.56e-07}), so a vanishing one never
     * reads as 0.
     */
    static String line(TrainingProgress p) {
        double eta = p.fractionDone() > 0 ? p.elapsedSeconds() / p.fractionDone() * (1 - p.fractionDone()) : 0;
        return String.format(Locale.ROOT, "step %d/%d loss %.4f lr %.2e grad %.3g %,.0f tok/s ETA %s", p.step(),
                p.totalSteps(), p.loss(), p.learningRate(), p.gradNorm(), p.tokensPerSecond(), ProgressText.duration(eta));
    }

    @Override
    public void onStep(TrainingProgress p) {
        if (Verbosity.quiet()) {
            return;
        }
        if (status.terminal()) {
            status.show(List.of(ProgressText.bar(p.fractionDone(), BAR_WIDTH) + " " + line(p)));
            return;
        }
        if (due(p)) {
            status.println(line(p));
        }
    }

    private boolean due(TrainingProgress p) {
        if (every < 0) {
            int tenth = (int) (10L * p.step() / Math.max(1, p.totalSteps()));
            boolean due = tenth != lastTenth || p.step() == p.totalSteps();
            lastTenth = tenth;
            return due;
        }
        return every > 0 && (p.step() % every == 0 || p.step() == p.totalSteps());
    }

    @Override
    public void onEvaluation(int step, Map<String, Double> scores) {
        if (!Verbosity.quiet()) {
            status.println(String.format(Locale.ROOT, "validation at step %d: %s", step, ProgressText.scores(scores)));
        }
    }

    @Override
    public void onPhase(String description) {
        if (!Verbosity.quiet()) {
            status.println(description);
        }
    }

    /**
     * Runs a training with every line written to stderr meanwhile (SLF4J's) printed above the bar on a
     * terminal; the bar is removed at the end, also on failure.
     */
    @SuppressWarnings("try") // the routing is held for the run's extent
    static <T> T run(StatusLines status, Callable<T> training) throws Exception {
        try {
            if (!status.terminal()) {
                return training.call();
            }
            try (AutoCloseable routed = status.routeSystemErr()) {
                return training.call();
            }
        } finally {
            status.clear();
        }
    }
}
