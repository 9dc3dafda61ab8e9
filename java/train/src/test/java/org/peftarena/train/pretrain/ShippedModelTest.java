package org.peftarena.train.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peftarena.train.data.DataSplit;
import org.peftarena.train.data.EuroparlCorpus;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.train.NextTokenAccuracy;
import org.peftarena.train.ShippedModelFixture;

/** The model shipped in models/tiny-europarl loads quickly and is really pretrained. */
class ShippedModelTest {
    private static final int WINDOW = 128;
    private static final long SCORED = 4096;

    private static Path dir;
    private static LlamaModel model;
    private static double loadSeconds;

    @BeforeAll
    static void load() throws Exception {
        dir = ShippedModelFixture.directory();
        long t0 = System.nanoTime();
        model = HfModelDirectory.load(dir);
        loadSeconds = (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void loadsInUnderTwoSecondsWithItsTokenizer() throws Exception {
        assertTrue(loadSeconds < 2.0, "load took " + loadSeconds + " s");
        assertEquals(259, model.config().vocabSize());
        try (TextTokenizer tok = Tokenizers.load(dir)) {
            assertEquals(259, tok.vocabSize());
            assertEquals("Europarl", tok.decode(tok.encode("Europarl")));
        }
    }

    @Test
    void englishIsFarAboveTheUnigramBaselineAndGermanClearlyBelowEnglish() {
        EuroparlCorpus corpus = EuroparlCorpus.load();
        List<int[]> en = ByteDocuments.documents(corpus.texts("en", DataSplit.TEST));
        List<int[]> de = ByteDocuments.documents(corpus.texts("de", DataSplit.TEST));
        NextTokenAccuracy accuracy = new NextTokenAccuracy(WINDOW, 16);
        double enAcc = accuracy.evaluate(model, en, SCORED).percent();
        double deAcc = accuracy.evaluate(model, de, SCORED).percent();
        double unigram = unigramBaseline(ByteDocuments.documents(corpus.texts("en", DataSplit.TRAIN)), en);
        assertTrue(enAcc > unigram + 20, "English " + enAcc + "% vs unigram baseline " + unigram + "%");
        assertTrue(deAcc < enAcc - 5, "German " + deAcc + "% vs English " + enAcc + "%");
    }

    /** Accuracy of always predicting the most frequent training byte, on the positions the evaluation scores. */
    private static double unigramBaseline(List<int[]> train, List<int[]> eval) {
        long[] counts = new long[259];
        train.forEach(d -> {
            for (int t : d) {
                counts[t]++;
            }
        });
        int top = 0;
        for (int i = 0; i < 256; i++) {
            if (counts[i] > counts[top]) {
                top = i;
            }
        }
        long hits = 0;
        long scored = 0;
        outer:
        for (int[] d : eval) {
            for (int start = 0; start + 1 < d.length; start += WINDOW) {
                int end = Math.min(d.length, start + WINDOW);
                for (int j = start + 1; j < end; j++) {
                    scored++;
                    hits += d[j] == top ? 1 : 0;
                }
                if (scored >= SCORED) {
                    break outer;
                }
            }
        }
        return 100.0 * hits / scored;
    }
}
