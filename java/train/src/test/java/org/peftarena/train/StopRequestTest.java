package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.TrainingHook;

/** A stop request ends the loop at the next step boundary, never inside a step. */
class StopRequestTest {
    @AfterEach
    void clear() {
        StopRequest.clear();
    }

    @Test
    void theLoopStopsAfterTheStepDuringWhichTheRequestArrived() {
        Tensor w = HostTensors.floats(new float[] {1f, 2f}, 2).requires_grad_(true);
        List<Integer> computed = new ArrayList<>();
        try (AdamWOptimizer opt = new AdamWOptimizer(List.of(w), new AdamWConfig(1e-2, 0.9, 0.999, 1e-8, 0))) {
            TrainingLoop loop = new TrainingLoop(opt, s -> 1e-2, new GradientClipper(1.0), 10, 2, TrainingHook.NONE);
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> loop.run(
                    index -> {
                        computed.add((int) index);
                        if (index == 4) {
                            StopRequest.request(); // arrives mid-step (the first micro-batch of step 3)
                        }
                        return new TrainingStep.StepLoss(w.mul(w).sum(), 1);
                    }, ProgressListener.NONE, null));
            assertEquals(3, e.step());
            assertEquals(List.of(0, 1, 2, 3, 4, 5), computed, "step 3 finished both micro-batches, step 4 never began");
            assertEquals(3, loop.losses().size());
        }
    }
}
