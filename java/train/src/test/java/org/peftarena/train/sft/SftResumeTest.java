package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.adalora.AdaLoraLayer;
import org.peftarena.peft.full.FullMethod;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftMethod;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.CheckpointException;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.ResumeState;
import org.peftarena.train.TrainingProgress;

/** A run interrupted after a checkpoint and resumed ends bit-identical to the run that was never interrupted. */
class SftResumeTest {
    private static final int STEPS = 6;

    /** Thrown by the listener to stop a run as a crash would. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Interrupted() {
            super("interrupted");
        }
    }

    static Stream<Arguments> methodsAndInterruptions() {
        // AdaLoRA: tinit 1, tfinal 2 of 6 steps, so step 3 masks by the smoothed scores and step 4 fixes the final mask
        AdaLoraConfig adalora = new AdaLoraConfig(2, 4, 8, 1, 2, 1, 0.85, 0.85, 0.5);
        return Stream.of(
                Arguments.of("lora", new LoraConfig(4, 8), 2e-2, 3),
                Arguments.of("oft", MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, 8).configFor(OftMethod.ID), 2e-2, 3),
                Arguments.of("full", MethodOptions.DEFAULTS.configFor(FullMethod.ID), 3e-3, 3),
                Arguments.of("adalora, scores smoothing", adalora, 2e-2, 3),
                Arguments.of("adalora, final mask fixed", adalora, 2e-2, 5));
    }

    static SftOptions options(double lr, int checkpointEvery) {
        return new SftOptions(STEPS, 5, 2, 16, AdamWConfig.withLearningRate(lr), 0.2, 1.0, 3, checkpointEvery);
    }

    static SftResult train(PeftConfig config, SftOptions opts, Path out, boolean resume, int interruptAt) throws Exception {
        ProgressListener stopper = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == interruptAt) {
                    throw new Interrupted();
                }
            }
        };
        return SftTrainer.train(SftTrainerTest.model(), SftTrainerTest.batches(1), config, TargetModules.ALL_LINEAR, opts,
                new SftTrainer.Output(out, resume, "tiny"), stopper);
    }

    @ParameterizedTest(name = "{0} resumed after step {3}")
    @MethodSource("methodsAndInterruptions")
    void interruptedAndResumedEqualsUninterrupted(String name, PeftConfig config, double lr, int k, @TempDir Path dir) throws Exception {
        SftOptions opts = options(lr, k);
        SftResult straight = train(config, opts, dir.resolve("straight"), false, -1);

        Path out = dir.resolve("interrupted");
        assertThrows(Interrupted.class, () -> train(config, opts, out, false, k + 1));
        assertEquals(Path.of(String.format("step-%06d", k)), SftCheckpoints.latest(out).orElseThrow().getFileName());
        SftResult resumed = train(config, opts, out, true, -1);

        assertEquals(k, resumed.resumedFrom());
        assertEquals(straight.losses(), resumed.losses(), name + ": losses");
        Map<String, Tensor> expected = straight.model().trainableParameters();
        Map<String, Tensor> actual = resumed.model().trainableParameters();
        assertEquals(expected.keySet(), actual.keySet());
        for (String p : expected.keySet()) {
            assertArrayEquals(HostTensors.toFloats(expected.get(p)), HostTensors.toFloats(actual.get(p)), name + ": " + p);
        }
        Map<String, AdapterLayer> straightLayers = straight.model().adapters().layers();
        resumed.model().adapters().layers().forEach((path, layer) -> {
            if (layer instanceof AdaLoraLayer a) {
                assertArrayEquals(((AdaLoraLayer) straightLayers.get(path)).rankPattern(), a.rankPattern(), path + " rank pattern");
            }
        });
    }

    @Test
    void aCorruptCheckpointIsRefusedWithTheFileNamed(@TempDir Path out) throws Exception {
        SftOptions opts = options(2e-2, 2);
        assertThrows(Interrupted.class, () -> train(new LoraConfig(4, 8), opts, out, false, 3));
        Path ckpt = SftCheckpoints.latest(out).orElseThrow();
        byte[] bytes = Files.readAllBytes(ckpt.resolve(ResumeState.OPTIMIZER_FILE));
        bytes[bytes.length / 2] ^= 1;
        Files.write(ckpt.resolve(ResumeState.OPTIMIZER_FILE), bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> train(new LoraConfig(4, 8), opts, out, true, -1));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains(ResumeState.OPTIMIZER_FILE), e.getMessage());

        Files.writeString(ckpt.resolve(SftCheckpoints.STATE_FILE), "{\"step\": 2, ");
        e = assertThrows(CheckpointException.class, () -> train(new LoraConfig(4, 8), opts, out, true, -1));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused(@TempDir Path out) throws Exception {
        assertThrows(Interrupted.class, () -> train(new LoraConfig(4, 8), options(2e-2, 2), out, false, 3));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> train(new LoraConfig(4, 8), options(1e-2, 2), out, true, -1));
        assertTrue(e.getMessage().contains("another run"), e.getMessage());
        e = assertThrows(CheckpointException.class,
                () -> train(MethodOptions.DEFAULTS.configFor(FullMethod.ID), options(2e-2, 2), out, true, -1));
        assertTrue(e.getMessage().contains("lora run"), e.getMessage());
    }

    @Test
    void aCheckpointWithoutOptimizerStateCannotResume(@TempDir Path out) throws Exception {
        LoraConfig lora = new LoraConfig(4, 8);
        var pm = org.peftarena.peft.PeftModel.attach(SftTrainerTest.model(), lora, TargetModules.ALL_LINEAR, 3);
        SftCheckpoints.save(pm, out, new SftCheckpoints.State(2, java.util.List.of(1.0, 1.0)), "tiny");
        CheckpointException e = assertThrows(CheckpointException.class, () -> train(lora, options(2e-2, 2), out, true, -1));
        assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
    }
}
