package org.peftarena.analysis.activations;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.tensor.TensorMatrices;

/** Computes every activation-space diagnostic of spec section 3 for one module and prompt set. */
public final class ActivationAnalysis {
    private ActivationAnalysis() {}

    /**
     * @param x0 base-model outputs of the module, any float dtype [n, d]
     * @param x1 finetuned-model outputs of the same module on the same tokens, same shape
     * @param options caps, seeds, ranks and compute type
     * @return the diagnostics over the first {@code min(n, rowCap)} rows
     * @throws DiagnosticInputException when the matrices are not 2-D float matrices of one shape
     */
    public static ActivationDiagnostics compute(Tensor x0, Tensor x1, ActivationOptions options) {
        check(x0, x1);
        long n = Math.min(x0.size(0), options.rowCap());
        Tensor a0 = x0.narrow(0, 0, n).to(options.computeType()).contiguous();
        Tensor a1 = x1.narrow(0, 0, n).to(options.computeType()).contiguous();
        Tensor c0 = TensorMatrices.centreColumns(a0);
        Tensor c1 = TensorMatrices.centreColumns(a1);
        double raw = ProcrustesResidual.rawDistance(c1, c0);
        double residual = ProcrustesResidual.residual(c1, c0);
        long[] rows = GramDistortion.subsample(n, options.gramRows(), options.gramSeed());
        double gram = GramDistortion.of(a0, a1, rows);
        double cka = LinearCka.of(c0, c1);
        RowAlignment r = RowAlignment.of(a0, a1);
        return new ActivationDiagnostics((int) n, (int) x0.size(1), raw, residual, raw - residual, gram,
                rows.length, cka, r.meanCosine(), r.cosineDrift(), r.meanAngle(), r.medianAngle(),
                r.normRatioMean(), r.normRatioStd(), r.meanAbsLogNormRatio(),
                PcaSubspaceDistance.of(c0, c1, options.pcaRanks()));
    }

    private static void check(Tensor x0, Tensor x1) {
        if (x0.dim() != 2 || x1.dim() != 2) {
            throw new DiagnosticInputException("activations must be 2-D [tokens, features], got X0 "
                    + TensorMatrices.shape(x0) + " and X1 " + TensorMatrices.shape(x1));
        }
        if (!x0.is_floating_point() || !x1.is_floating_point()) {
            throw new DiagnosticInputException("activations must have a floating-point dtype");
        }
        if (x0.size(0) != x1.size(0) || x0.size(1) != x1.size(1)) {
            throw new DiagnosticInputException("X0 is " + TensorMatrices.shape(x0) + " but X1 is "
                    + TensorMatrices.shape(x1) + ": both must hold the same tokens and features");
        }
        if (x0.size(0) < 2 || x0.size(1) < 1) {
            throw new DiagnosticInputException("activations need at least 2 rows and 1 column, got "
                    + TensorMatrices.shape(x0));
        }
    }
}
