package org.peftarena.peft.boft;

import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.oft.BlockRotation;
import org.peftarena.peft.oft.CayleyTransform;

/**
 * BOFT on one linear layer, with HF PEFT's semantics. {@code boft_R (m, N, b, b)} holds a full
 * generator per block ({@code N = in/b}); each is skew-symmetrised as {@code S = (G - G^T)/2} and
 * turned into {@code R = (I - S)(I + S)^-1}. Factor i is {@code B_i = P_i BD_i P_i^T} with
 * {@code BD_i = blockdiag(R_i1..R_iN)} and {@code P_i} HF's butterfly permutation; the total
 * rotation is {@code R = B_(m-1) ... B_1 B_0} and {@code boft_s (out, 1)} scales the outputs:
 * {@code W' = diag(s) W0 R^T}, so {@code y = ((x R) W0^T) * s + bias}.
 *
 * <p>The forward is input-centric ({@code x R = x B_(m-1) ... B_0}, each factor a gather, a
 * block-wise product and a gather); the dense {@code in x in} matrix is never built.
 */
public final class BoftLayer extends AdapterLayer {
    private final Tensor generators;
    private final Tensor scale;
    private final int blockSize;
    private final int blocks;
    private final int factors;
    private final Tensor[] perm;
    private final Tensor[] inversePerm;

    /**
     * A fresh BOFT adapter (generators 0, scale 1: the identity).
     *
     * @param base the frozen layer
     * @param config block size and number of butterfly factors
     * @throws PeftException if {@code in} is not a multiple of {@code b * 2^(m-1)}
     */
    public BoftLayer(BaseLinear base, BoftConfig config) {
        super(base);
        config.checkLayer(base.shape());
        int in = Math.toIntExact(base.in());
        this.blockSize = config.blockSize();
        this.blocks = in / blockSize;
        this.factors = config.butterflyFactors();
        this.generators = ParameterInit.zeros(base.device(), factors, blocks, blockSize, blockSize);
        this.scale = ParameterInit.filled(base.device(), 1.0, base.out(), 1);
        long[][] p = ButterflyPermutation.factors(in, blockSize, factors);
        this.perm = new Tensor[factors];
        this.inversePerm = new Tensor[factors];
        for (int i = 0; i < factors; i++) {
            if (!ButterflyPermutation.isIdentity(p[i])) {
                perm[i] = Devices.on(base.device(), HostTensors.longs(p[i], in));
                inversePerm[i] = Devices.on(base.device(), HostTensors.longs(ButterflyPermutation.inverse(p[i]), in));
            }
        }
    }

    /** The generators {@code boft_R}: float32 {@code (m, in/b, b, b)}. */
    public Tensor generators() {
        return generators;
    }

    /** The output scale {@code boft_s}: float32 {@code (out, 1)}. */
    public Tensor scale() {
        return scale;
    }

    /**
     * HF PEFT's {@code cayley_batch} of every block: {@code (I - S)(I + S)^-1}, {@code S = (G - G^T)/2}.
     *
     * @return float32 {@code (m, in/b, b, b)}
     */
    public Tensor blockRotations() {
        Tensor g = generators.view(-1, blockSize, blockSize);
        Tensor skew = g.sub(g.transpose(1, 2)).mul(new Scalar(0.5));
        return CayleyTransform.exact(skew).view(factors, blocks, blockSize, blockSize);
    }

    /**
     * The dense total rotation {@code R = B_(m-1) ... B_0} ({@code in x in}), for diagnostics and tests.
     */
    public Tensor totalRotation() {
        return rotate(torch.eye(base.in(), ParameterInit.floats(base.device())), blockRotations());
    }

    /** {@code x R}: factors m-1 down to 0, each {@code x P_i BD_i P_i^T}. */
    private Tensor rotate(Tensor x, Tensor rotations) {
        Tensor r = x;
        for (int i = factors - 1; i >= 0; i--) {
            r = factor(r, rotations.select(0, i), i, false);
        }
        return r;
    }

    /** {@code x R^T}: factors 0 up to m-1, each {@code x P_i BD_i^T P_i^T}. */
    private Tensor rotateTransposed(Tensor x, Tensor rotations) {
        Tensor r = x;
        for (int i = 0; i < factors; i++) {
            r = factor(r, rotations.select(0, i), i, true);
        }
        return r;
    }

    /** {@code x P_i BD P_i^T} with {@code BD = blockdiag(blocks)} or its transpose. */
    private Tensor factor(Tensor x, Tensor blockMatrices, int i, boolean transposed) {
        Tensor r = inversePerm[i] == null ? x : x.index_select(-1, inversePerm[i]);
        r = BlockRotation.rightMultiply(r, blockMatrices, transposed);
        return perm[i] == null ? r : r.index_select(-1, perm[i]);
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        Tensor y = torch.linear(rotate(x, blockRotations()), base.weight()).mul(scale.view(-1));
        return base.bias() == null ? y : y.add(base.bias());
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("boft_R", generators, "boft_s", scale);
    }

    /** {@code W0 -> diag(s) W0 R^T}, as HF PEFT merges. */
    @Override
    protected void mergeIntoBase() {
        base.weight().copy_(rotateTransposed(base.weight(), blockRotations()).mul(scale));
    }

    /** {@code W' -> diag(1/s) W' R}: the rotation is orthogonal, so {@code R^T}'s inverse is {@code R}. */
    @Override
    protected void unmergeFromBase() {
        base.weight().copy_(rotate(base.weight().div(scale), blockRotations()));
    }
}
