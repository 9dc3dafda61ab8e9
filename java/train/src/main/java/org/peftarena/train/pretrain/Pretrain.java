package org.peftarena.train.pretrain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelType;
import org.peftarena.train.data.AdditionProblems;
import org.peftarena.train.data.DataSplit;
import org.peftarena.train.data.EuroparlCorpus;
import org.peftarena.formats.io.AtomicFiles;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.Threads;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.CollapseCheck;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingLoop;
import org.peftarena.train.TrainingStep;
import org.peftarena.train.WarmupCosineSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains a byte-level Llama decoder from scratch on the general mixture and writes it as a
 * Hugging Face model directory with a model card.
 */
public final class Pretrain {
    /** Score name of the mean over the general suite (the pretraining languages and addition). */
    public static final String GENERAL = "general";
    /** Held-out language scored besides the pretraining languages (the arena's German target). */
    public static final String HELD_OUT_LANGUAGE = "de";

    private static final Logger LOG = LoggerFactory.getLogger(Pretrain.class);
    private static final int ADDITION_TRAIN_PROBLEMS = 60_000;

    private Pretrain() {
    }

    /** The architecture a recipe describes: Llama, byte vocabulary, tied embeddings. */
    public static LlamaConfig config(PretrainOptions o) {
        return new LlamaConfig(ModelType.LLAMA, ByteTokenizer.VOCAB_SIZE, o.hiddenSize(), o.intermediateSize(),
                o.numLayers(), o.numHeads(), o.numKvHeads(), o.hiddenSize() / o.numHeads(), 1e-5, 10000.0, null,
                false, false, false, true, o.contextLength(), ModelDType.FLOAT32.hfName(), ByteTokenizer.BOS,
                List.of(ByteTokenizer.EOS), ByteTokenizer.PAD, null);
    }

    /**
     * Trains, evaluates on the validation split and writes the model directory.
     *
     * @param options  the recipe
     * @param listener progress (steps, evaluations, phases)
     */
    public static PretrainResult run(PretrainOptions options, ProgressListener listener) throws IOException {
        Threads.Settings threads = options.threads() != null ? options.threads() : Threads.defaults();
        Threads.configure(threads);
        LOG.info("pretraining {} steps with threads {}", options.steps(), threads);

        listener.onPhase("reading Europarl");
        EuroparlCorpus corpus = EuroparlCorpus.load();
        List<int[]> streams = new ArrayList<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (String lang : options.languages()) {
            List<String> texts = corpus.texts(lang, DataSplit.TRAIN);
            lines.put(lang, texts.size());
            streams.add(ByteDocuments.concatenate(ByteDocuments.documents(texts)));
        }
        AdditionProblems addition = new AdditionProblems(options.additionDigits());
        List<int[]> additionDocs = ByteDocuments.additionDocuments(
                addition.generate(ADDITION_TRAIN_PROBLEMS, options.seed(), DataSplit.TRAIN));
        MixtureSampler sampler = new MixtureSampler(streams, additionDocs, options.additionShare(),
                options.contextLength(), options.seed() + 1);
        List<String> scored = new ArrayList<>(options.languages());
        if (!scored.contains(HELD_OUT_LANGUAGE)) {
            scored.add(HELD_OUT_LANGUAGE);
        }
        GeneralSuite validation = new GeneralSuite(corpus, scored, DataSplit.VALIDATION, options.evalProblems(),
                addition, options.seed() + 2, options.contextLength());

        LlamaConfig config = config(options);
        LlamaModel model = new LlamaModel(config,
                WeightInitializer.initialize(config, ModelDType.FLOAT32, options.seed(), WeightInitializer.DEFAULT_STD));
        List<Tensor> params = model.setTrainable(name -> true);
        List<Map.Entry<Integer, Map<String, Double>>> history = new ArrayList<>();
        List<Double> losses;
        long start = System.nanoTime();
        try (AdamWOptimizer optimizer = new AdamWOptimizer(params, AdamWConfig.withLearningRate(options.learningRate()))) {
            TrainingLoop loop = new TrainingLoop(optimizer,
                    WarmupCosineSchedule.standard(options.learningRate(), options.steps()),
                    new GradientClipper(GradientClipper.DEFAULT_MAX_NORM), options.steps())
                    .detectingCollapse(CollapseCheck.forVocabulary(config.vocabSize()));
            int b = options.batchSize();
            int t = options.contextLength();
            listener.onPhase("training");
            losses = loop.run(step -> {
                Tensor ids = HostTensors.longs(sampler.nextBatch(b), b, t);
                return new TrainingStep.StepLoss(model.loss(ids, null, ids), (long) b * (t - 1));
            }, listener, done -> {
                if (options.evalEvery() > 0 && done % options.evalEvery() == 0 && done < options.steps()) {
                    Map<String, Double> s = withGeneral(validation.evaluate(model, options.quickEvalTokens()),
                            options.languages());
                    history.add(new AbstractMap.SimpleImmutableEntry<>(done, s));
                    listener.onEvaluation(done, s);
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        model.setTrainable(name -> false);

        listener.onPhase("final validation");
        Map<String, Double> scores = withGeneral(validation.evaluate(model, options.finalEvalTokens()),
                options.languages());
        listener.onEvaluation(options.steps(), scores);
        long tokens = (long) options.steps() * options.batchSize() * (options.contextLength() - 1);
        int tail = Math.min(50, losses.size());
        double finalLoss = losses.subList(losses.size() - tail, losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        PretrainResult result = new PretrainResult(model.weights().parameterCount(), options.steps(), tokens,
                seconds, finalLoss, lines, scores, history);

        listener.onPhase("writing " + options.outputDir());
        HfModelDirectory.save(model, options.outputDir());
        new ByteTokenizer().exportTo(options.outputDir());
        AtomicFiles.write(options.outputDir().resolve("generation_config.json"), generationConfig()
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(options.outputDir().resolve("README.md"),
                ModelCard.render(options, config, threads, result).getBytes(StandardCharsets.UTF_8));
        return result;
    }

    private static Map<String, Double> withGeneral(Map<String, Double> scores, List<String> languages) {
        Map<String, Double> out = new LinkedHashMap<>(scores);
        double sum = 0;
        int n = 0;
        for (String lang : languages) {
            sum += scores.get(lang);
            n++;
        }
        if (scores.containsKey(GeneralSuite.ADDITION)) {
            sum += scores.get(GeneralSuite.ADDITION);
            n++;
        }
        out.put(GENERAL, sum / n);
        return out;
    }

    private static String generationConfig() {
        return "{\n  \"bos_token_id\": " + ByteTokenizer.BOS + ",\n  \"eos_token_id\": " + ByteTokenizer.EOS
                + ",\n  \"pad_token_id\": " + ByteTokenizer.PAD + ",\n  \"do_sample\": false\n}\n";
    }
}
