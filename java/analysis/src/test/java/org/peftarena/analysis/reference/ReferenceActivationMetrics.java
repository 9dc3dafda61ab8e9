package org.peftarena.analysis.reference;

import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.peftarena.analysis.activations.ActivationDiagnostics;

/**
 * The activation-space diagnostics written literally from the spec in double precision: the
 * rotation R is formed, CKA uses the d x d products and PCA the d x d projectors.
 */
public final class ReferenceActivationMetrics {
    private static final double EPS = 1e-12;

    private ReferenceActivationMetrics() {}

    /**
     * @param x0 base outputs, double [n, d] (already truncated to the rows to use)
     * @param x1 finetuned outputs, double [n, d]
     * @param gramRows sorted row indices of the Gram subsample, int [m]
     * @param pcaRanks subspace sizes; those above {@code min(n, d)} are skipped
     * @return the diagnostics
     */
    public static ActivationDiagnostics compute(DMatrix x0, DMatrix x1, int[] gramRows, int[] pcaRanks) {
        DMatrix c0 = x0.centreColumns();
        DMatrix c1 = x1.centreColumns();
        double f0 = c0.frobenius();
        double raw = c1.minus(c0).frobenius() / (f0 + EPS);
        JacobiSvd m = JacobiSvd.of(c1.transpose().times(c0));
        DMatrix r = m.u().times(m.v().transpose());
        double residual = c1.times(r).minus(c0).frobenius() / (f0 + EPS);

        DMatrix z0 = normaliseRows(x0.selectRows(gramRows));
        DMatrix z1 = normaliseRows(x1.selectRows(gramRows));
        DMatrix g0 = z0.times(z0.transpose());
        DMatrix g1 = z1.times(z1.transpose());
        double gram = g1.minus(g0).frobenius() / (g0.frobenius() + EPS);

        double cross = c0.transpose().times(c1).frobenius();
        double cka = cross * cross / (c0.transpose().times(c0).frobenius() * c1.transpose().times(c1).frobenius() + EPS);

        int n = x0.rows();
        double[] cos = new double[n];
        double[] angle = new double[n];
        double[] ratio = new double[n];
        for (int i = 0; i < n; i++) {
            double[] a = x0.row(i);
            double[] b = x1.row(i);
            cos[i] = DMatrix.dot(a, b) / Math.max(DMatrix.norm(a) * DMatrix.norm(b), 1e-8);
            angle[i] = Math.acos(Math.max(-1, Math.min(1, cos[i])));
            ratio[i] = DMatrix.norm(b) / DMatrix.norm(a);
        }
        double meanCos = mean(cos);
        double meanRatio = mean(ratio);
        double var = 0;
        double absLog = 0;
        for (double q : ratio) {
            var += (q - meanRatio) * (q - meanRatio);
            absLog += Math.abs(Math.log(q));
        }
        double[] sorted = angle.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;

        SortedMap<Integer, Double> pca = new TreeMap<>();
        JacobiSvd s0 = JacobiSvd.of(c0);
        JacobiSvd s1 = JacobiSvd.of(c1);
        for (int k : pcaRanks) {
            if (k > Math.min(x0.rows(), x0.cols())) {
                continue;
            }
            DMatrix v0 = s0.v().leftColumns(k);
            DMatrix v1 = s1.v().leftColumns(k);
            DMatrix p0 = v0.times(v0.transpose());
            DMatrix p1 = v1.times(v1.transpose());
            pca.put(k, p0.minus(p1).frobenius() / Math.sqrt(2.0 * k));
        }
        return new ActivationDiagnostics(n, x0.cols(), raw, residual, raw - residual, gram, gramRows.length, cka,
                meanCos, 1 - meanCos, mean(angle), median, meanRatio, Math.sqrt(var / (n - 1)), absLog / n, pca);
    }

    private static DMatrix normaliseRows(DMatrix x) {
        double[] v = x.values();
        for (int i = 0; i < x.rows(); i++) {
            double norm = Math.max(DMatrix.norm(x.row(i)), EPS);
            for (int j = 0; j < x.cols(); j++) {
                v[i * x.cols() + j] /= norm;
            }
        }
        return new DMatrix(x.rows(), x.cols(), v);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
