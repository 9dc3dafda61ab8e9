package org.peftarena.analysis.activations;

import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.tensor.TensorMatrices;

/**
 * Distance between the top-k principal subspaces, {@code normF(P0 - P1) / sqrt(2k)} with
 * {@code P = V_k V_k^T} from an exact SVD of the centred matrix; evaluated as
 * {@code sqrt(2k - 2 normF(V0k^T V1k)^2)} so no d x d projector is formed.
 */
public final class PcaSubspaceDistance {
    private PcaSubspaceDistance() {}

    /**
     * @param x0c centred base outputs, float [n, d]
     * @param x1c centred finetuned outputs, float [n, d]
     * @param ranks subspace sizes; those above {@code min(n, d)} are left out of the result
     * @return k to distance in [0, 1]
     */
    public static SortedMap<Integer, Double> of(Tensor x0c, Tensor x1c, int[] ranks) {
        SortedMap<Integer, Double> out = new TreeMap<>();
        long limit = Math.min(x0c.size(0), x0c.size(1));
        boolean any = false;
        for (int k : ranks) {
            any |= k <= limit;
        }
        if (!any) {
            return out;
        }
        Tensor vh0 = TensorMatrices.thinSvd(x0c).get2();
        Tensor vh1 = TensorMatrices.thinSvd(x1c).get2();
        for (int k : ranks) {
            if (k > limit) {
                continue;
            }
            Tensor overlap = vh0.narrow(0, 0, k).mm(vh1.narrow(0, 0, k).t());
            double f = TensorMatrices.frobenius(overlap);
            double squared = Math.max(0, 2.0 * k - 2 * f * f);
            out.put(k, Math.sqrt(squared) / Math.sqrt(2.0 * k));
        }
        return out;
    }
}
