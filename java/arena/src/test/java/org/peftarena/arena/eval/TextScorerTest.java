package org.peftarena.arena.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.TinyModels;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;

class TextScorerTest {
    @TempDir
    static Path tmp;

    static LlamaModel model;
    static List<int[]> docs;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyModels.load(tmp, 3);
        SplittableRandom r = new SplittableRandom(4);
        docs = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            int[] doc = new int[2 + r.nextInt(90)];
            for (int i = 0; i < doc.length; i++) {
                doc[i] = r.nextInt(256);
            }
            docs.add(doc);
        }
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void matchesAnIndependentOneWindowAtATimeComputation() {
        int window = 32;
        TextScore s = new TextScorer(window, 5).score(model, docs, 0);
        long correct = 0;
        long scored = 0;
        double nats = 0;
        int[] docCorrect = new int[docs.size()];
        int[] docScored = new int[docs.size()];
        for (int d = 0; d < docs.size(); d++) {
            int[] doc = docs.get(d);
            for (int start = 0; start + 1 < doc.length; start += window) {
                int len = Math.min(window, doc.length - start);
                long[] ids = new long[len];
                for (int i = 0; i < len; i++) {
                    ids[i] = doc[start + i];
                }
                float[] logits;
                try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                    logits = HostTensors.toFloats(model.forward(HostTensors.longs(ids, 1, len), null));
                }
                int v = logits.length / len;
                for (int t = 0; t + 1 < len; t++) {
                    double max = Double.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int k = 0; k < v; k++) {
                        if (logits[t * v + k] > max) {
                            max = logits[t * v + k];
                            arg = k;
                        }
                    }
                    double sum = 0;
                    for (int k = 0; k < v; k++) {
                        sum += Math.exp(logits[t * v + k] - max);
                    }
                    int next = (int) ids[t + 1];
                    nats += -(logits[t * v + next] - max - Math.log(sum));
                    correct += arg == next ? 1 : 0;
                    docCorrect[d] += arg == next ? 1 : 0;
                    docScored[d]++;
                    scored++;
                }
            }
        }
        assertEquals(scored, s.scored());
        assertEquals(correct, s.correct());
        assertEquals(nats, s.nats(), 1e-3 * scored);
        assertEquals(nats / scored / Math.log(2), s.bitsPerToken(), 1e-3);
        assertEquals(100.0 * correct / scored, s.accuracyPercent(), 1e-12);
        assertArrayEquals(docCorrect, s.documentCorrect(), "correct positions per document");
        assertArrayEquals(docScored, s.documentScored());
        assertEquals(docs.size(), s.documents());
    }

    @Test
    void batchingAndPaddingDoNotChangeTheScores() {
        TextScore one = new TextScorer(24, 1).score(model, docs, 0);
        TextScore many = new TextScorer(24, 16).score(model, docs, 0);
        assertEquals(one.correct(), many.correct());
        assertEquals(one.scored(), many.scored());
        assertEquals(one.nats(), many.nats(), 1e-3 * one.scored());
    }

    @Test
    void tokenLimitStopsAfterTheWindowThatReachesIt() {
        TextScore s = new TextScorer(16, 4).score(model, docs, 20);
        assertEquals(true, s.scored() >= 20 && s.scored() < 20 + 16, "scored " + s.scored());
        assertEquals(s.scored(), java.util.Arrays.stream(s.documentScored()).sum());
        assertEquals(true, s.documents() < docs.size(), "only the documents reached are counted");
    }
}
