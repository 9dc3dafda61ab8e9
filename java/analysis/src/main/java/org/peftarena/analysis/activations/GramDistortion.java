package org.peftarena.analysis.activations;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.TensorMatrices;

/**
 * Change of the pairwise-cosine (Gram) matrix of the rows: {@code normF(Z1 Z1^T - Z0 Z0^T) /
 * (normF(Z0 Z0^T) + 1e-12)} with rows L2-normalised (no centring), on a seeded row subsample.
 */
public final class GramDistortion {
    /** Rows of norm below this are divided by it instead, as {@code F.normalize} does. */
    public static final double NORMALISE_EPS = 1e-12;

    private GramDistortion() {}

    /**
     * Row indices of the subsample: all rows when {@code n <= size}, otherwise the first
     * {@code size} entries of LibTorch's {@code randperm(n)} from a CPU generator seeded with
     * {@code seed}, sorted ascending.
     *
     * @return sorted row indices, long [min(n, size)]
     */
    public static long[] subsample(long n, int size, long seed) {
        if (n <= size) {
            long[] all = new long[(int) n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        Tensor perm = torch.randperm(n, new GeneratorOptional(torch.createCPUGenerator(seed)));
        Tensor picked = torch.sort(perm.narrow(0, 0, size)).get0().contiguous();
        long[] out = new long[size];
        picked.data_ptr_long().get(out);
        return out;
    }

    /**
     * @param x0 base outputs, float [n, d]
     * @param x1 finetuned outputs, float [n, d]
     * @param rows sorted row indices into both, long [m]
     * @return the Gram distortion on those rows
     */
    public static double of(Tensor x0, Tensor x1, long[] rows) {
        Tensor idx = torch.tensor(rows);
        Tensor z0 = normaliseRows(x0.index_select(0, idx));
        Tensor z1 = normaliseRows(x1.index_select(0, idx));
        Tensor g0 = z0.mm(z0.t());
        Tensor g1 = z1.mm(z1.t());
        return TensorMatrices.frobenius(g1.sub(g0)) / (TensorMatrices.frobenius(g0) + ProcrustesResidual.EPS);
    }

    private static Tensor normaliseRows(Tensor x) {
        Tensor norms = x.norm(new ScalarOptional(new Scalar(2.0)), new long[] {1}, true);
        return x.div(norms.clamp_min(new Scalar(NORMALISE_EPS)));
    }
}
