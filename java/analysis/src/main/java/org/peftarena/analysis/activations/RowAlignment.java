package org.peftarena.analysis.activations;

import java.util.Arrays;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.tensor.TensorMatrices;

/**
 * Row-by-row comparison of uncentred outputs: cosine statistics and norm-ratio statistics.
 *
 * @param meanCosine mean of {@code cos_i}
 * @param cosineDrift mean of {@code 1 - cos_i}
 * @param meanAngle mean of {@code arccos(cos_i)}, radians
 * @param medianAngle median of {@code arccos(cos_i)} (mean of the two middle values for even n)
 * @param normRatioMean mean of {@code r_i = norm2(x1_i) / norm2(x0_i)}
 * @param normRatioStd standard deviation of {@code r_i}, n - 1 in the denominator
 * @param meanAbsLogNormRatio mean of {@code abs(log(r_i))}
 */
public record RowAlignment(double meanCosine, double cosineDrift, double meanAngle, double medianAngle,
                           double normRatioMean, double normRatioStd, double meanAbsLogNormRatio) {
    /** Cosine denominator floor, as {@code torch.cosine_similarity}: {@code sqrt(max(|a|^2 |b|^2, eps^2))}. */
    public static final double COSINE_EPS = 1e-8;
    /** Norm-ratio denominator floor for an all-zero base row. */
    public static final double RATIO_EPS = 1e-12;

    /**
     * @param x0 base outputs, float [n, d]
     * @param x1 finetuned outputs, float [n, d]
     * @return the row statistics
     */
    public static RowAlignment of(Tensor x0, Tensor x1) {
        double[] dot = TensorMatrices.toDoubles(x0.mul(x1).sum(new long[] {1}, false, new ScalarTypeOptional()));
        double[] sq0 = TensorMatrices.toDoubles(x0.square().sum(new long[] {1}, false, new ScalarTypeOptional()));
        double[] sq1 = TensorMatrices.toDoubles(x1.square().sum(new long[] {1}, false, new ScalarTypeOptional()));
        return fromRowSums(dot, sq0, sq1);
    }

    /**
     * The statistics from per-row sums.
     *
     * @param dot {@code <x0_i, x1_i>}, double [n]
     * @param sq0 {@code norm2(x0_i)^2}, double [n]
     * @param sq1 {@code norm2(x1_i)^2}, double [n]
     * @return the row statistics
     */
    public static RowAlignment fromRowSums(double[] dot, double[] sq0, double[] sq1) {
        int n = dot.length;
        if (n == 0) {
            throw new IllegalArgumentException("row statistics need at least one row");
        }
        double[] angle = new double[n];
        double cosSum = 0;
        double angleSum = 0;
        double[] ratio = new double[n];
        double ratioSum = 0;
        double absLogSum = 0;
        for (int i = 0; i < n; i++) {
            double cos = dot[i] / Math.sqrt(Math.max(sq0[i] * sq1[i], COSINE_EPS * COSINE_EPS));
            cosSum += cos;
            angle[i] = Math.acos(Math.max(-1, Math.min(1, cos)));
            angleSum += angle[i];
            ratio[i] = Math.sqrt(sq1[i]) / Math.max(Math.sqrt(sq0[i]), RATIO_EPS);
            ratioSum += ratio[i];
            absLogSum += Math.abs(Math.log(ratio[i]));
        }
        double ratioMean = ratioSum / n;
        double var = 0;
        for (double r : ratio) {
            var += (r - ratioMean) * (r - ratioMean);
        }
        double std = n > 1 ? Math.sqrt(var / (n - 1)) : Double.NaN;
        double meanCos = cosSum / n;
        return new RowAlignment(meanCos, 1 - meanCos, angleSum / n, median(angle), ratioMean, std, absLogSum / n);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
