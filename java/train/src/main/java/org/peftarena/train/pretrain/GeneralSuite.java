package org.peftarena.train.pretrain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.train.data.AdditionProblems;
import org.peftarena.train.data.DataSplit;
import org.peftarena.train.data.EuroparlCorpus;
import org.peftarena.model.GenerationOptions;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.ByteTokenizer;
import org.peftarena.train.ExactMatch;
import org.peftarena.train.NextTokenAccuracy;

/**
 * Held-out scores of a byte-level model on one split: next-byte accuracy per Europarl language
 * and exact match on addition problems, all in percent.
 */
public final class GeneralSuite {
    /** Score name of the addition exact match. */
    public static final String ADDITION = "addition";

    private final Map<String, List<int[]>> documents = new LinkedHashMap<>();
    private final List<ExactMatch.Item> additionItems = new ArrayList<>();
    private final int window;
    private final int maxAnswerTokens;

    /**
     * @param corpus    Europarl lines
     * @param languages languages to score
     * @param split     which split's lines and problems to use
     * @param problems  number of addition problems (0 = no addition score)
     * @param addition  the problem generator
     * @param seed      seed of the problem draw
     * @param window    context window of the accuracy evaluation
     */
    public GeneralSuite(EuroparlCorpus corpus, List<String> languages, DataSplit split, int problems,
                        AdditionProblems addition, long seed, int window) {
        for (String lang : languages) {
            List<String> texts = corpus.texts(lang, split);
            if (texts.isEmpty()) {
                throw new IllegalArgumentException("no " + split + " text for language " + lang);
            }
            documents.put(lang, ByteDocuments.documents(texts));
        }
        for (AdditionProblems.Problem p : addition.generate(problems, seed, split)) {
            additionItems.add(new ExactMatch.Item(ByteDocuments.prompt(p.prompt()), ByteDocuments.bytes(p.answer())));
        }
        this.window = window;
        this.maxAnswerTokens = addition.maxDigits() + 2;
    }

    /** The documents of one language. */
    public List<int[]> documents(String language) {
        List<int[]> d = documents.get(language);
        if (d == null) {
            throw new IllegalArgumentException("language " + language + " is not in this suite");
        }
        return d;
    }

    /**
     * @param model     a byte-level decoder
     * @param maxTokens scored positions per language (0 = all)
     * @return language code to next-byte accuracy and {@link #ADDITION} to exact match, in percent
     */
    public Map<String, Double> evaluate(LlamaModel model, long maxTokens) {
        Map<String, Double> scores = new LinkedHashMap<>();
        NextTokenAccuracy accuracy = new NextTokenAccuracy(window, 16);
        documents.forEach((lang, docs) -> scores.put(lang, accuracy.evaluate(model, docs, maxTokens).percent()));
        if (!additionItems.isEmpty()) {
            GenerationOptions greedy = GenerationOptions.greedy(maxAnswerTokens, ByteTokenizer.EOS, ByteTokenizer.PAD);
            scores.put(ADDITION, new ExactMatch(32).evaluate(model, additionItems, greedy).percent());
        }
        return scores;
    }
}
