package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.Autocast;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelWeights;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.adalora.AdaLoraMethod;
import org.peftarena.peft.boft.BoftMethod;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraMethod;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingCollapsedException;
import org.peftarena.train.TrainingDivergedException;
import org.peftarena.train.TrainingProgress;

class SftTrainerTest {
    static final String CONFIG = """
            {"model_type": "qwen2", "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
             "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 26, "max_position_embeddings": 64,
             "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""";

    static LlamaModel model() throws Exception {
        LlamaConfig c = LlamaConfig.parse("tiny", CONFIG);
        return new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 7, 0.1));
    }

    /** Toy target: a digit prompt maps to a letter response. */
    static List<SftExample> toyData() {
        List<SftExample> out = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            out.add(new SftExample(d + "=", String.valueOf((char) ('a' + (d * 3) % 10)) + "+"));
        }
        return out;
    }

    static SftBatches batches(long seed) {
        return new SftBatches(toyData(), new CharTokenizer(), 16, 10, seed);
    }

    static SftOptions options(int steps, double lr) {
        return new SftOptions(steps, 10, 1, 16, AdamWConfig.withLearningRate(lr), 0.1, 1.0, 3, 0);
    }

    static Stream<Arguments> methodsWithLearningRates() {
        return Stream.of(
                Arguments.of("full", MethodOptions.DEFAULTS, 3e-3),
                Arguments.of("lora", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4).with(LoraMethod.ALPHA, 8.0), 2e-2),
                Arguments.of("dora", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4).with(LoraMethod.ALPHA, 8.0), 2e-2),
                Arguments.of("pissa", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4), 1e-2),
                Arguments.of("milora", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4), 2e-2),
                Arguments.of("adalora", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4).with(AdaLoraMethod.INIT_R, 6), 2e-2),
                Arguments.of("keeplora", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4), 3e-2),
                Arguments.of("ia3", MethodOptions.DEFAULTS, 5e-2),
                Arguments.of("miss", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4), 1e-2),
                Arguments.of("vera", MethodOptions.DEFAULTS.with(MethodOption.RANK, 16), 5e-2),
                Arguments.of("oft", MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, 8), 2e-2),
                Arguments.of("boft", MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, 4).with(BoftMethod.BUTTERFLY_FACTORS, 2), 2e-2),
                Arguments.of("hra", MethodOptions.DEFAULTS.with(MethodOption.RANK, 4), 2e-2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methodsWithLearningRates")
    void everyMethodLowersTheToyLoss(String method, MethodOptions opts, double lr) throws Exception {
        PeftConfig config = opts.configFor(PeftMethod.parse(method));
        SftResult r = SftTrainer.train(model(), batches(1), config, TargetModules.ALL_LINEAR, options(120, lr), null, ProgressListener.NONE);
        List<Double> l = r.losses();
        double first = l.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = l.subList(l.size() - 5, l.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < 0.7 * first, method + ": loss " + first + " -> " + last);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("autocastMethods")
    void bf16AutocastTrainsCloseToFloat32(String method, MethodOptions opts, double lr) throws Exception {
        PeftConfig config = opts.configFor(PeftMethod.parse(method));
        List<Double> f32 = SftTrainer.train(model(), batches(1), config, TargetModules.ALL_LINEAR, options(40, lr), null,
                ProgressListener.NONE).losses();
        List<Double> bf16 = SftTrainer.train(model(), batches(1), config, TargetModules.ALL_LINEAR,
                options(40, lr).withAutocast(Autocast.BF16), null, ProgressListener.NONE).losses();
        assertTrue(Math.abs(bf16.get(0) - f32.get(0)) > 0, method + ": the first loss is computed in bfloat16, so it differs");
        assertEquals(f32.get(0), bf16.get(0), 0.02 * f32.get(0), method + ": same first loss up to bfloat16 rounding");
        double lastF32 = f32.subList(35, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double lastBf16 = bf16.subList(35, 40).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(lastBf16 < 0.7 * bf16.get(0), method + ": bf16 training lowers the loss, " + bf16.get(0) + " -> " + lastBf16);
        assertEquals(lastF32, lastBf16, 0.15 * lastF32 + 0.05, method + ": and ends near float32's");
    }

    static Stream<Arguments> autocastMethods() {
        return methodsWithLearningRates().filter(a -> List.of("full", "lora", "oft").contains((String) a.get()[0]));
    }

    @Test
    void autocastIsNamedInTheRecipeOnlyWhenOn() {
        assertFalse(options(3, 1e-3).toString().contains("autocast"), "a float32 recipe reads as before");
        assertTrue(options(3, 1e-3).withAutocast(Autocast.BF16).toString().endsWith(", autocast=bf16]"));
    }

    @Test
    void onlyResponseTokensCarryLabels() {
        SftBatches b = new SftBatches(List.of(new SftExample("12=", "ab")), new CharTokenizer(), 16, 1, 0);
        SftBatches.Batch batch = b.batch(0);
        // [bos 1 2 =] [a b eos]
        assertArrayEquals(new long[] {1, 14, 15, 23, 3, 4, 2}, HostTensors.toLongs(batch.inputIds()));
        assertArrayEquals(new long[] {-100, -100, -100, -100, 3, 4, 2}, HostTensors.toLongs(batch.labels()));
        assertEquals(3, batch.scoredTokens());
    }

    @Test
    void tooLongExamplesLosePromptTokensFirst() {
        SftBatches b = new SftBatches(List.of(new SftExample("0123456789=", "ab")), new CharTokenizer(), 5, 1, 0);
        assertArrayEquals(new long[] {-100, -100, 3, 4, 2}, HostTensors.toLongs(b.batch(0).labels()));
    }

    @Test
    void checkpointsAndResumeContinueTheRun(@TempDir Path out) throws Exception {
        PeftConfig lora = new LoraConfig(4, 8);
        SftOptions opts = new SftOptions(6, 10, 2, 16, AdamWConfig.withLearningRate(1e-2), 0.1, 1.0, 3, 3);
        SftResult full = SftTrainer.train(model(), batches(1), lora, TargetModules.ALL_LINEAR, opts,
                new SftTrainer.Output(out, false, "tiny"), ProgressListener.NONE);
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-000003")));
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-000006/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve(AdapterIO.CONFIG_FILE)));
        assertEquals(6, full.losses().size());

        // as if the run had stopped after step 3
        SftCheckpointsTestSupport.deleteTree(out.resolve("checkpoints/step-000006"));
        SftResult resumed = SftTrainer.train(model(), batches(1), lora, TargetModules.ALL_LINEAR, opts,
                new SftTrainer.Output(out, true, "tiny"), ProgressListener.NONE);
        assertEquals(3, resumed.resumedFrom());
        assertEquals(6, resumed.losses().size());
        // the resumed steps run on restored parameters, moments and data cursor: the same run, bit for bit
        assertEquals(full.losses(), resumed.losses());
        full.model().trainableParameters().forEach((name, t) -> assertArrayEquals(HostTensors.toFloats(t),
                HostTensors.toFloats(resumed.model().trainableParameters().get(name)), name));
    }

    @Test
    void divergenceStopsWithTheLastGoodCheckpoint(@TempDir Path out) throws Exception {
        SftOptions opts = new SftOptions(40, 10, 1, 16, new AdamWConfig(1e30, 0.9, 0.95, 1e-8, 0.0), 0.0, 1e30, 3, 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> SftTrainer.train(model(), batches(1),
                new LoraConfig(4, 8), TargetModules.ALL_LINEAR, opts, new SftTrainer.Output(out, false, "tiny"), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("last good checkpoint is"), e.getMessage());
        assertTrue(SftCheckpoints.latest(out).isPresent());
        assertFalse(Files.exists(out.resolve(AdapterIO.CONFIG_FILE)), "no final result after divergence");
    }

    @Test
    @SuppressWarnings("try") // the guard is used for its extent
    void aCollapseStopsTheRunAndSetsAsideTheCheckpointsThatHoldIt(@TempDir Path out) throws Exception {
        LlamaModel model = model();
        // after step 5 every logit is 0: the loss is ln(26) and the adapters get no gradient, with nothing non-finite
        ProgressListener breaksAfterFive = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == 5) {
                    try (NoGradGuard g = new NoGradGuard()) {
                        model.weights().get(ModelWeights.FINAL_NORM).zero_();
                    }
                }
            }
        };
        SftOptions opts = new SftOptions(40, 10, 1, 16, AdamWConfig.withLearningRate(2e-2), 0.1, 1.0, 3, 2);
        PeftConfig lora = new LoraConfig(4, 8);
        TrainingCollapsedException e = assertThrows(TrainingCollapsedException.class, () -> SftTrainer.train(model, batches(1),
                lora, TargetModules.ALL_LINEAR, opts, new SftTrainer.Output(out, false, "tiny"), breaksAfterFive));
        Path good = out.resolve("checkpoints/step-000004");
        assertTrue(e.getMessage().startsWith("training collapsed at step 15: for 10 steps since step 6 the gradient norm was 0 "
                + "and the loss stayed at 3.2581 (ln 26 = 3.2581, a uniform next-token distribution)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; 5 checkpoints of step 5 or later already held the collapsed model and were "
                + "renamed to collapsed-step-*; the last good checkpoint is " + good), e.getMessage());
        assertEquals(good, SftCheckpoints.latest(out).orElseThrow(), "a resumed run continues from the last good checkpoint");
        assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-000002/adapter_model.safetensors")));
        for (int step = 6; step <= 14; step += 2) {
            assertTrue(Files.isRegularFile(out.resolve(String.format("checkpoints/collapsed-step-%06d/%s", step,
                    SftCheckpoints.STATE_FILE))), "set aside, not deleted: " + step);
        }
        assertFalse(Files.exists(out.resolve("checkpoints/step-000016")), "no checkpoint after the collapse was recognised");
        assertFalse(Files.exists(out.resolve(AdapterIO.CONFIG_FILE)), "no final result after a collapse");

        // the good checkpoint resumes a healthy run to the end
        SftResult resumed = SftTrainer.train(model(), batches(1), lora, TargetModules.ALL_LINEAR, opts,
                new SftTrainer.Output(out, true, "tiny"), ProgressListener.NONE);
        assertEquals(4, resumed.resumedFrom());
        assertEquals(40, resumed.losses().size());
        assertTrue(Files.isRegularFile(out.resolve(AdapterIO.CONFIG_FILE)));
    }

    @Test
    void jsonlRecordsAreValidatedWithLineNumbers(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, "{\"prompt\": \"1=\", \"response\": \"b\"}\n\n{\"text\": \"abc\"}\n");
        List<SftExample> ex = SftDataset.readJsonl(good);
        assertEquals(List.of(new SftExample("1=", "b"), new SftExample("", "abc")), ex);
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"1=\", \"response\": \"b\"}\n{\"prompt\": 3}\n");
        SftDataException e = assertThrows(SftDataException.class, () -> SftDataset.readJsonl(bad));
        assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
        Files.writeString(bad, "{not json\n");
        assertTrue(assertThrows(SftDataException.class, () -> SftDataset.readJsonl(bad)).getMessage().contains(":1"));
        assertThrows(SftDataException.class, () -> SftDataset.load("builtin:nope", 0));
        assertEquals(SftDataset.BUILTIN_SIZE, SftDataset.load("builtin:addition", 0).size());
    }
}
