package org.peftarena.peft.adalora;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdditiveAdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;

/**
 * AdaLoRA (HF PEFT's {@code SVDLinear}) on one linear layer:
 * {@code y = x W0^T + b + s (x (A * E)^T) B^T} with right vectors {@code A (r, in)}, singular values
 * {@code E (r, 1)}, left vectors {@code B (out, r)} and {@code s = alpha / (init_r + 1e-5)}. Pruning a
 * triplet sets its entry of {@code E} to zero; the layer remembers which triplets its last mask kept.
 */
public final class AdaLoraLayer extends AdditiveAdapterLayer {
    /** HF PEFT's standard deviation of the normal initialisation of A and B. */
    public static final double INIT_STD = 0.02;

    private final Tensor a;
    private final Tensor e;
    private final Tensor b;
    private final double scaling;
    private boolean[] kept;

    /**
     * A fresh AdaLoRA layer as HF PEFT initialises it: E zero (so the identity at start), A and B
     * normal with standard deviation 0.02.
     *
     * @param base the frozen layer
     * @param config ranks and alpha
     * @param seed module seed for A and B
     */
    public AdaLoraLayer(BaseLinear base, AdaLoraConfig config, long seed) {
        super(base);
        SplittableRandom rng = new SplittableRandom(seed);
        int r = config.initR();
        this.a = normal(base, rng, r, base.in());
        this.e = ParameterInit.zeros(base.device(), r, 1);
        this.b = normal(base, rng, base.out(), r);
        this.scaling = config.scaling();
    }

    private static Tensor normal(BaseLinear base, SplittableRandom rng, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * INIT_STD);
        }
        return ParameterInit.trainable(Devices.on(base.device(), HostTensors.floats(v, rows, cols)));
    }

    /** {@code lora_A}: float32 {@code (init_r, in)}. */
    public Tensor a() {
        return a;
    }

    /** {@code lora_E}: float32 {@code (init_r, 1)}. */
    public Tensor e() {
        return e;
    }

    /** {@code lora_B}: float32 {@code (out, init_r)}. */
    public Tensor b() {
        return b;
    }

    /** The initial (and stored) rank. */
    public int initRank() {
        return (int) e.size(0);
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        return base.forward(x).add(torch.linear(torch.linear(x, a.mul(e)), b), new Scalar(scaling));
    }

    /** {@code s B (A * E)}: float32 {@code (out, in)}. */
    @Override
    public Tensor delta() {
        return b.matmul(a.mul(e)).mul(new Scalar(scaling));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("lora_A", a, "lora_E", e, "lora_B", b);
    }

    /**
     * Prunes the triplets not kept: their singular values become zero (HF PEFT's {@code masked_fill_}).
     *
     * @param keep one flag per triplet, true to keep
     * @throws IllegalArgumentException if the length is not the rank
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void mask(boolean[] keep) {
        if (keep.length != initRank()) {
            throw new IllegalArgumentException(base.path() + ": mask of " + keep.length + " flags for rank " + initRank());
        }
        float[] pruned = new float[keep.length];
        for (int i = 0; i < keep.length; i++) {
            pruned[i] = keep[i] ? 0f : 1f;
        }
        try (NoGradGuard g = new NoGradGuard()) {
            e.masked_fill_(Devices.on(e.device(), HostTensors.floats(pruned, keep.length, 1)).gt(new Scalar(0.5)), new Scalar(0.0));
        }
        kept = keep.clone();
    }

    /** Which triplets the last mask kept (HF PEFT's {@code rank_pattern} entry), or null if never masked. */
    public boolean[] rankPattern() {
        return kept == null ? null : kept.clone();
    }

    /** Sets the record of the last mask without touching E (a checkpoint restores E itself); null for never masked. */
    void restoreRankPattern(boolean[] keep) {
        if (keep != null && keep.length != initRank()) {
            throw new IllegalArgumentException(base.path() + ": mask of " + keep.length + " flags for rank " + initRank());
        }
        kept = keep == null ? null : keep.clone();
    }

    /**
     * Loads full-rank tensors; triplets stored as all zeros (the pruned ones of an adapter saved with a
     * rank pattern) count as pruned, so the rank pattern survives a save/load cycle.
     */
    @Override
    public void load(Map<String, Tensor> tensors) {
        super.load(tensors);
        float[] av = HostTensors.toFloats(a.abs().sum(1));
        float[] ev = HostTensors.toFloats(e.abs().view(-1));
        float[] bv = HostTensors.toFloats(b.abs().sum(0));
        boolean[] keep = new boolean[ev.length];
        boolean pruned = false;
        for (int i = 0; i < keep.length; i++) {
            keep[i] = av[i] != 0 || ev[i] != 0 || bv[i] != 0;
            pruned |= !keep[i];
        }
        kept = pruned ? keep : null;
    }
}
