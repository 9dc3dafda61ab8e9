package org.peftarena.analysis.weights;

import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.TensorMatrices;

/** Singular-vector alignment (SVA) and intruder dimensions from explicit singular vectors. */
public final class SingularAlignment {
    private SingularAlignment() {}

    /**
     * Full computation from the SVD of the finetuned weight.
     *
     * @param base spectrum of W0
     * @param w1 finetuned weight, float [out, in]
     * @param options top-k and threshold
     * @return SVA statistics and the intruder count
     */
    public static Alignment fromFinetunedWeight(BaseSpectrum base, Tensor w1, AlignmentOptions options) {
        T_TensorTensorTensor_T usv = TensorMatrices.thinSvd(w1.to(torch.ScalarType.Float).contiguous());
        double[] sva = indexMatchedAbsCosines(base.v(), usv.get2().t());
        return of(sva, intruders(base.u(), usv.get0(), options), options);
    }

    /**
     * @param sva per-index {@code abs} cosines, double [k]
     * @param intruders intruder count
     * @param options top-k and threshold used
     * @return the summary
     */
    public static Alignment of(double[] sva, int intruders, AlignmentOptions options) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double a : sva) {
            sum += a;
            min = Math.min(min, a);
        }
        return new Alignment(sum / sva.length, min, intruders, options.topK(), options.threshold());
    }

    /**
     * @param a float [d, k]
     * @param b float [d, k]
     * @return {@code abs(<a_i, b_i>)} per column, double [k]
     */
    public static double[] indexMatchedAbsCosines(Tensor a, Tensor b) {
        double[] c = TensorMatrices.columnSums(a.mul(b.to(a.scalar_type())));
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.abs(c[i]);
        }
        return c;
    }

    /**
     * @param u0 left singular vectors of W0, float [out, k]
     * @param u1 left singular vectors of W1, descending, float [out, >= 1]
     * @param options top-k and threshold
     * @return how many of the first {@code min(topK, cols(u1))} columns of u1 have
     *     {@code max_i abs(u1_j^T u0_i) < threshold}
     */
    public static int intruders(Tensor u0, Tensor u1, AlignmentOptions options) {
        long t = Math.min(options.topK(), u1.size(1));
        Tensor sims = u0.t().mm(u1.narrow(1, 0, t).to(u0.scalar_type())).abs();
        double[] best = TensorMatrices.toDoubles(sims.amax(new long[] {0}, false));
        int count = 0;
        for (double b : best) {
            if (b < options.threshold()) {
                count++;
            }
        }
        return count;
    }
}
