package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.cat;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.RopeScaling;

/**
 * Rotary position embedding in the Hugging Face Llama convention (rotate-half: the first and
 * second halves of each head are the two components), with optional llama3 frequency scaling.
 */
public final class RotaryEmbedding {
    private final int headDim;
    private final float[] inverseFrequencies;

    /** Frequencies for the config's head size, rope_theta and rope_scaling. */
    public RotaryEmbedding(LlamaConfig config) {
        this(config.headDim(), config.ropeTheta(), config.ropeScaling());
    }

    /**
     * @param headDim per-head width, even
     * @param theta   base frequency
     * @param scaling llama3 scaling, or null
     */
    public RotaryEmbedding(int headDim, double theta, RopeScaling scaling) {
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for RoPE, got " + headDim);
        }
        this.headDim = headDim;
        this.inverseFrequencies = inverseFrequencies(headDim, theta, scaling);
    }

    /**
     * The per-pair inverse frequencies {@code theta^(-2i/D)}, adjusted by llama3 scaling: long
     * wavelengths divided by the factor, short ones kept, the band between interpolated smoothly.
     *
     * @return {@code [D/2]}
     */
    public static float[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        int half = headDim / 2;
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            double inv = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            if (scaling != null) {
                double lowWavelen = scaling.originalMaxPositionEmbeddings() / scaling.lowFreqFactor();
                double highWavelen = scaling.originalMaxPositionEmbeddings() / scaling.highFreqFactor();
                double wavelen = 2 * Math.PI / inv;
                if (wavelen > lowWavelen) {
                    inv = inv / scaling.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (scaling.originalMaxPositionEmbeddings() / wavelen - scaling.lowFreqFactor())
                            / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                    inv = (1 - smooth) * inv / scaling.factor() + smooth * inv;
                }
            }
            out[i] = (float) inv;
        }
        return out;
    }

    /** Per-head width. */
    public int headDim() {
        return headDim;
    }

    /**
     * Cosines and sines for the given positions, computed in float32.
     *
     * @param positions {@code [B, T]} int64
     * @param dtype     dtype of the queries/keys they will multiply
     * @return {cos, sin}, each {@code [B, 1, T, D]}
     */
    public Tensor[] cosSin(Tensor positions, ModelDType dtype) {
        Tensor inv = Devices.on(positions.device(), HostTensors.floats(inverseFrequencies, inverseFrequencies.length));
        Tensor freqs = positions.to(torch.ScalarType.Float).unsqueeze(-1).mul(inv); // [B, T, D/2]
        Tensor emb = cat(new TensorVector(freqs, freqs), -1); // [B, T, D]
        Tensor cos = emb.cos().to(dtype.scalarType()).unsqueeze(1);
        Tensor sin = emb.sin().to(dtype.scalarType()).unsqueeze(1);
        return new Tensor[] {cos, sin};
    }

    /**
     * Rotates queries or keys.
     *
     * @param x   {@code [B, H, T, D]}
     * @param cos {@code [B, 1, T, D]}
     * @param sin {@code [B, 1, T, D]}
     * @return {@code x * cos + rotate_half(x) * sin}, {@code [B, H, T, D]}
     */
    public static Tensor apply(Tensor x, Tensor cos, Tensor sin) {
        long d = x.size(-1);
        Tensor x1 = x.narrow(-1, 0, d / 2);
        Tensor x2 = x.narrow(-1, d / 2, d / 2);
        Tensor rotated = cat(new TensorVector(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
