package org.peftarena.model;

import java.util.Map;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.RopeScaling;

/**
 * A plain-Java, double-precision Llama forward written from the Hugging Face equations for tests
 * only: loops over tokens, heads and features, no LibTorch, no code shared with the model.
 * Sequences are right-padded: the first {@code len[b]} tokens of row b are real.
 */
final class ReferenceDecoder {
    private final LlamaConfig c;
    private final Map<String, float[]> w;

    ReferenceDecoder(LlamaConfig config, Map<String, float[]> weights) {
        this.c = config;
        this.w = weights;
    }

    /**
     * @param ids one sequence of real tokens
     * @return logits [T][V]
     */
    double[][] logits(int[] ids) {
        int n = ids.length;
        int d = c.hiddenSize();
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            x[t] = row(w.get("model.embed_tokens.weight"), ids[t], d);
        }
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] normed = new double[n][];
            for (int t = 0; t < n; t++) {
                normed[t] = rmsNorm(x[t], w.get(p + "input_layernorm.weight"));
            }
            double[][] attn = attention(p + "self_attn.", normed);
            for (int t = 0; t < n; t++) {
                add(x[t], attn[t]);
                double[] h = rmsNorm(x[t], w.get(p + "post_attention_layernorm.weight"));
                double[] gate = matVec(p + "mlp.gate_proj", h);
                double[] up = matVec(p + "mlp.up_proj", h);
                double[] act = new double[gate.length];
                for (int i = 0; i < act.length; i++) {
                    act[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                }
                add(x[t], matVec(p + "mlp.down_proj", act));
            }
        }
        String head = c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] h = rmsNorm(x[t], w.get("model.norm.weight"));
            out[t] = new double[c.vocabSize()];
            for (int v = 0; v < c.vocabSize(); v++) {
                out[t][v] = dot(row(w.get(head), v, d), h);
            }
        }
        return out;
    }

    private double[][] attention(String p, double[][] h) {
        int n = h.length;
        int hq = c.numAttentionHeads();
        int hkv = c.numKeyValueHeads();
        int hd = c.headDim();
        double[][] q = new double[n][];
        double[][] k = new double[n][];
        double[][] v = new double[n][];
        for (int t = 0; t < n; t++) {
            q[t] = rope(matVec(p + "q_proj", h[t]), hq, t);
            k[t] = rope(matVec(p + "k_proj", h[t]), hkv, t);
            v[t] = matVec(p + "v_proj", h[t]);
        }
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] concat = new double[hq * hd];
            for (int head = 0; head < hq; head++) {
                int kvHead = head / (hq / hkv);
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += q[t][head * hd + i] * k[s][kvHead * hd + i];
                    }
                    scores[s] = dot / Math.sqrt(hd);
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int s = 0; s <= t; s++) {
                    for (int i = 0; i < hd; i++) {
                        concat[head * hd + i] += scores[s] / sum * v[s][kvHead * hd + i];
                    }
                }
            }
            out[t] = matVec(p + "o_proj", concat);
        }
        return out;
    }

    /** Rotates the pairs (i, i + D/2) of every head by position * inverse frequency i. */
    private double[] rope(double[] x, int heads, int pos) {
        int hd = c.headDim();
        int half = hd / 2;
        double[] out = x.clone();
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * inverseFrequency(i);
                double a = x[head * hd + i];
                double b = x[head * hd + i + half];
                out[head * hd + i] = a * Math.cos(angle) - b * Math.sin(angle);
                out[head * hd + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
        return out;
    }

    private double inverseFrequency(int i) {
        double base = Math.pow(c.ropeTheta(), -2.0 * i / c.headDim());
        RopeScaling s = c.ropeScaling();
        if (s == null) {
            return base;
        }
        double wavelength = 2 * Math.PI / base;
        double longest = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double shortest = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        if (wavelength < shortest) {
            return base;
        }
        if (wavelength > longest) {
            return base / s.factor();
        }
        double smooth = (s.originalMaxPositionEmbeddings() / wavelength - s.lowFreqFactor())
                / (s.highFreqFactor() - s.lowFreqFactor());
        return (1 - smooth) * base / s.factor() + smooth * base;
    }

    private double[] matVec(String module, double[] x) {
        float[] weight = w.get(module + ".weight");
        int in = x.length;
        int out = weight.length / in;
        float[] bias = w.get(module + ".bias");
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            y[o] = dot(row(weight, o, in), x) + (bias == null ? 0 : bias[o]);
        }
        return y;
    }

    private double[] rmsNorm(double[] x, float[] weight) {
        double ms = 0;
        for (double v : x) {
            ms += v * v;
        }
        double scale = 1 / Math.sqrt(ms / x.length + c.rmsNormEps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * scale * weight[i];
        }
        return y;
    }

    private static double[] row(float[] matrix, int r, int cols) {
        double[] out = new double[cols];
        for (int i = 0; i < cols; i++) {
            out[i] = matrix[r * cols + i];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void add(double[] acc, double[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
    }
}
