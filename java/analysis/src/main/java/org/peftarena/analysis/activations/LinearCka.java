package org.peftarena.analysis.activations;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.tensor.TensorMatrices;

/**
 * Biased linear CKA of centred matrices, {@code normF(X0^T X1)^2 / (normF(X0^T X0) normF(X1^T X1)
 * + 1e-12)}, computed through the n x n Gram matrices when features outnumber rows (the two
 * forms are equal: {@code normF(X0^T X1)^2 = <X0 X0^T, X1 X1^T>}).
 */
public final class LinearCka {
    private LinearCka() {}

    /**
     * @param x0c centred base outputs, float [n, d]
     * @param x1c centred finetuned outputs, float [n, d]
     * @return CKA in [0, 1]
     */
    public static double of(Tensor x0c, Tensor x1c) {
        double cross;
        double self0;
        double self1;
        if (x0c.size(1) <= x0c.size(0)) {
            double c = TensorMatrices.frobenius(x0c.t().mm(x1c));
            cross = c * c;
            self0 = TensorMatrices.frobenius(x0c.t().mm(x0c));
            self1 = TensorMatrices.frobenius(x1c.t().mm(x1c));
        } else {
            Tensor g0 = x0c.mm(x0c.t());
            Tensor g1 = x1c.mm(x1c.t());
            cross = TensorMatrices.sum(g0.mul(g1));
            self0 = TensorMatrices.frobenius(g0);
            self1 = TensorMatrices.frobenius(g1);
        }
        return cross / (self0 * self1 + ProcrustesResidual.EPS);
    }
}
