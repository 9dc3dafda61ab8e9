package org.peftarena.train.sft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.peftarena.peft.PeftModel;
import org.peftarena.train.ResumeState;
import org.peftarena.train.TrainingLoop;

/**
 * Writes a run's periodic checkpoints (every {@code checkpointEvery} steps, with the optimizer and
 * data-order state for exact resume) and names the last one when the run stops on an error. SFT and
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
    public String recoveryHint() {
        return lastGood == null ? "no checkpoint was written before it" : "the last good checkpoint is " + lastGood;
    }
}
