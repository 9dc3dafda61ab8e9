package org.peftarena.analysis.activations;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Activation-space diagnostics of one module on one prompt set (spec section 3).
 *
 * @param rows tokens used (n)
 * @param cols features (d)
 * @param rawDistance {@code normF(X1c - X0c) / (normF(X0c) + 1e-12)}, columns centred
 * @param procrustesResidual the same after the best rotation of X1c onto X0c
 * @param procrustesImprovement {@code rawDistance - procrustesResidual}
 * @param gramDistortion relative change of the pairwise-cosine matrix on the row subsample
 * @param gramRows rows of that subsample
 * @param linearCka biased linear CKA of the centred matrices
 * @param meanCosine mean row-wise cosine between X0 and X1 rows (not centred)
 * @param cosineDrift mean of {@code 1 - cos}
 * @param meanAngle mean of {@code arccos(cos)}, radians
 * @param medianAngle median of {@code arccos(cos)}, radians (mean of the two middle values for even n)
 * @param normRatioMean mean of {@code norm2(x1) / norm2(x0)} per row
 * @param normRatioStd standard deviation of that ratio (n - 1 in the denominator)
 * @param meanAbsLogNormRatio mean of {@code abs(log(ratio))}
 * @param pcaSubspaceDistance k to {@code normF(P0 - P1) / sqrt(2k)} of the top-k principal subspaces
 */
public record ActivationDiagnostics(int rows, int cols, double rawDistance, double procrustesResidual,
                                    double procrustesImprovement, double gramDistortion, int gramRows,
                                    double linearCka, double meanCosine, double cosineDrift, double meanAngle,
                                    double medianAngle, double normRatioMean, double normRatioStd,
                                    double meanAbsLogNormRatio, SortedMap<Integer, Double> pcaSubspaceDistance) {
    /** Copies the PCA map so the record stays immutable. */
    public ActivationDiagnostics {
        pcaSubspaceDistance = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(pcaSubspaceDistance));
    }

    /** @return every value by its JSON name, in a stable order */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("rows", rows);
        m.put("cols", cols);
        m.put("raw_distance", rawDistance);
        m.put("procrustes_residual", procrustesResidual);
        m.put("procrustes_improvement", procrustesImprovement);
        m.put("gram_distortion", gramDistortion);
        m.put("gram_rows", gramRows);
        m.put("linear_cka", linearCka);
        m.put("mean_cosine", meanCosine);
        m.put("cosine_drift", cosineDrift);
        m.put("mean_angle", meanAngle);
        m.put("median_angle", medianAngle);
        m.put("norm_ratio_mean", normRatioMean);
        m.put("norm_ratio_std", normRatioStd);
        m.put("mean_abs_log_norm_ratio", meanAbsLogNormRatio);
        pcaSubspaceDistance.forEach((k, v) -> m.put("pca_subspace_distance_k" + k, v));
        return m;
    }
}
