package org.peftarena.analysis.reference;

import org.peftarena.analysis.drift.CapabilityDrift;

/** Capability-conditioned drift written literally from the spec, in double precision. */
public final class ReferenceDrift {
    private ReferenceDrift() {}

    /**
     * @param w0 pretrained weight, double [out, in]
     * @param dw update, double [out, in]
     * @param h inputs, double [n, in]
     * @param eps guard of {@code CSD_un}
     * @return the drift values
     */
    public static CapabilityDrift compute(DMatrix w0, DMatrix dw, DMatrix h, double eps) {
        int n = h.rows();
        double moved = 0;
        double base = 0;
        double inputs = 0;
        for (int t = 0; t < n; t++) {
            double[] x = h.row(t);
            for (int o = 0; o < w0.rows(); o++) {
                double a = DMatrix.dot(dw.row(o), x);
                double b = DMatrix.dot(w0.row(o), x);
                moved += a * a;
                base += b * b;
            }
            inputs += DMatrix.dot(x, x);
        }
        moved /= n;
        base /= n;
        inputs /= n;
        double f = dw.frobenius();
        return new CapabilityDrift(n, moved, moved / (base + 1e-12), moved / ((f * f + eps) * (inputs + eps)));
    }
}
