package org.peftarena.arena;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.full.FullMethod;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.train.data.PromptResponse;

/**
 * Scores recomputed independently of the arena's evaluation code: one window per forward pass (no
 * batching, no padding), adapters applied unmerged, greedy decoding that recomputes the whole prefix
 * every step (no key/value cache), argmax taken here over the logits. Each count comes with the
 * number of near ties (top-2 logit gap below {@link Tolerances.Check#NEAR_TIE_LOGIT_GAP}), the
 * positions where another fp32 evaluation order may legitimately pick the other token.
 */
final class ReferenceScores {
    private ReferenceScores() {
    }

    /** Correct predictions out of scored ones, and the near ties among the scored. */
    record Count(long correct, long scored, long nearTies) {
        double percent() {
            return scored == 0 ? 0 : 100.0 * correct / scored;
        }

        /** Percentage points a score may differ from this one by argmax flips at near ties. */
        double slack() {
            return scored == 0 ? 0 : 100.0 * nearTies / scored;
        }
    }

    /** A run's final model as saved: full weights, or the base with the adapter attached unmerged. */
    static LlamaModel savedModel(Path baseModel, Path modelDir, String method) throws IOException {
        if (PeftMethod.parse(method).equals(FullMethod.ID)) {
            return HfModelDirectory.load(modelDir, ModelDType.FLOAT32);
        }
        LlamaModel model = HfModelDirectory.load(baseModel, ModelDType.FLOAT32);
        AdapterCheckpoint adapter = AdapterIO.load(modelDir);
        PeftModel pm = PeftModel.attach(model, adapter.config(), adapter.targets(), 0);
        pm.adapters().load(adapter.tensors());
        model.setTrainable(n -> false);
        return model;
    }

    /**
     * Teacher-forced next-token accuracy: each document is BOS + bytes + EOS, cut into consecutive
     * windows of {@code window} tokens; every token after a window's first is predicted from the
     * window's earlier tokens; documents are read until {@code maxScored} positions are planned.
     */
    static Count nextTokenAccuracy(LlamaModel model, TextTokenizer tokenizer, List<String> documents, int window,
                                   long maxScored) {
        long correct = 0;
        long scored = 0;
        long ties = 0;
        for (String text : documents) {
            int[] doc = withBosEos(tokenizer, tokenizer.encode(text));
            for (int s = 0; s + 2 <= doc.length && (maxScored == 0 || scored < maxScored); s += window) {
                int[] w = Arrays.copyOfRange(doc, s, Math.min(doc.length, s + window));
                float[][] logits = logits(model, w);
                for (int j = 0; j + 1 < w.length; j++) {
                    int best = argmax(logits[j]);
                    correct += best == w[j + 1] ? 1 : 0;
                    ties += nearTie(logits[j], best) ? 1 : 0;
                    scored++;
                }
            }
            if (maxScored > 0 && scored >= maxScored) {
                break;
            }
        }
        return new Count(correct, scored, ties);
    }

    /**
     * Exact match of greedy answers: BOS + prompt, then argmax tokens until EOS or the longest
     * reference answer plus {@code extraTokens}; the decoded answer and the reference are compared
     * trimmed. A problem with a near tie on its greedy path counts as a near tie.
     */
    static Count exactMatch(LlamaModel model, TextTokenizer tokenizer, List<PromptResponse> problems, int extraTokens) {
        int longest = 1;
        for (PromptResponse p : problems) {
            longest = Math.max(longest, tokenizer.encode(p.response()).length);
        }
        long correct = 0;
        long ties = 0;
        for (PromptResponse p : problems) {
            List<Integer> seq = new ArrayList<>();
            for (int id : withBos(tokenizer, tokenizer.encode(p.prompt()))) {
                seq.add(id);
            }
            int promptLength = seq.size();
            boolean tie = false;
            for (int step = 0; step < longest + extraTokens; step++) {
                float[][] logits = logits(model, seq.stream().mapToInt(Integer::intValue).toArray());
                float[] last = logits[logits.length - 1];
                int next = argmax(last);
                tie |= nearTie(last, next);
                if (next == tokenizer.eosId().orElse(-1)) {
                    break;
                }
                seq.add(next);
            }
            int[] answer = seq.subList(promptLength, seq.size()).stream().mapToInt(Integer::intValue).toArray();
            correct += tokenizer.decode(answer).strip().equals(p.response().strip()) ? 1 : 0;
            ties += tie ? 1 : 0;
        }
        return new Count(correct, problems.size(), ties);
    }

    /** Logits of every position of one unpadded sequence: {@code [T][V]}. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    static float[][] logits(LlamaModel model, int[] ids) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            long[] longs = Arrays.stream(ids).asLongStream().toArray();
            float[] flat = HostTensors.toFloats(model.forward(HostTensors.longs(longs, 1, ids.length), null));
            int v = flat.length / ids.length;
            float[][] out = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) {
                out[t] = Arrays.copyOfRange(flat, t * v, (t + 1) * v);
            }
            return out;
        }
    }

    /** The first index of the largest value. */
    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean nearTie(float[] v, int best) {
        double gap = Tolerances.of(Tolerances.Check.NEAR_TIE_LOGIT_GAP).atol();
        for (int i = 0; i < v.length; i++) {
            if (i != best && v[best] - v[i] < gap) {
                return true;
            }
        }
        return false;
    }

    private static int[] withBos(TextTokenizer tokenizer, int[] body) {
        if (tokenizer.bosId().isEmpty()) {
            return body;
        }
        int[] out = new int[body.length + 1];
        out[0] = tokenizer.bosId().getAsInt();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static int[] withBosEos(TextTokenizer tokenizer, int[] body) {
        int[] head = withBos(tokenizer, body);
        if (tokenizer.eosId().isEmpty()) {
            return head;
        }
        int[] out = Arrays.copyOf(head, head.length + 1);
        out[head.length] = tokenizer.eosId().getAsInt();
        return out;
    }
}
