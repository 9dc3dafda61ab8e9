package org.peftarena.train.sft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.peftarena.peft.PeftModel;
import org.peftarena.train.ResumeState;
import org.peftarena.train.TrainingLoop;

/**
 * Writes a run's periodic checkpoints (every {@code checkpointEvery} steps, with the optimizer and
 * data-order state for exact resume) and names the last one when the run stops on an error; when it
 * stops on a collapse, the checkpoints that already hold the collapsed model are set aside first
 * ({@link SftCheckpoints#setAside}) so that {@code --resume} continues from the last good one. SFT and
 * RL runs share it.
 */
public final class PeriodicCheckpoints implements TrainingLoop.AfterStep {
    private final PeftModel pm;
    private final SftTrainer.Output output;
    private final int checkpointEvery;
    private final ResumeState resume;
    private final TrainingLoop loop;
    private final long microBatchesPerStep;
    private Path lastGood;

    /**
     * @param pm                  the model being trained
     * @param output              where checkpoints go, or null for none
     * @param checkpointEvery     steps between checkpoints (0: none)
     * @param resume              the data-order state saved with each checkpoint
     * @param loop                the loop whose losses are saved
     * @param microBatchesPerStep batches drawn per optimizer step (the data position of a step)
     * @param lastGood            the checkpoint the run resumed from, or null
     */
    public PeriodicCheckpoints(PeftModel pm, SftTrainer.Output output, int checkpointEvery, ResumeState resume,
                               TrainingLoop loop, long microBatchesPerStep, Path lastGood) {
        this.pm = pm;
        this.output = output;
        this.checkpointEvery = checkpointEvery;
        this.resume = resume;
        this.loop = loop;
        this.microBatchesPerStep = microBatchesPerStep;
        this.lastGood = lastGood;
    }

    /** The last checkpoint written or resumed from, or null. */
    public Path lastGood() {
        return lastGood;
    }

    @Override
    public void afterStep(int done) {
        if (output != null && checkpointEvery > 0 && done % checkpointEvery == 0) {
            try {
                lastGood = SftCheckpoints.save(pm, output.dir(), new SftCheckpoints.State(done, loop.losses()),
                        output.baseModel(), resume, done * microBatchesPerStep);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a checkpoint to " + output.dir(), e);
            }
        }
    }

    @Override
    public String collapseRecoveryHint(int firstCollapsedStep) {
        if (output == null) {
            return recoveryHint();
        }
        int from = firstCollapsedStep - 1;
        String moved;
        try {
            List<Path> aside = SftCheckpoints.setAside(output.dir(), from);
            moved = aside.isEmpty() ? "" : aside.size() + " checkpoint" + (aside.size() == 1 ? "" : "s")
                    + " of step " + from + " or later already held the collapsed model and "
                    + (aside.size() == 1 ? "was" : "were") + " renamed to " + SftCheckpoints.COLLAPSED_PREFIX + "step-*; ";
            lastGood = SftCheckpoints.latest(output.dir()).orElse(null);
        } catch (IOException e) {
            moved = "the checkpoints of step " + from + " or later hold the collapsed model (setting them aside failed: "
                    + e.getMessage() + "); ";
        }
        return moved + recoveryHint();
    }

    @Override
    public String recoveryHint() {
        return lastGood == null ? "no checkpoint was written before it" : "the last good checkpoint is " + lastGood;
    }
}
