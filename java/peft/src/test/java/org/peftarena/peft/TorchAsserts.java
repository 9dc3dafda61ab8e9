package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.fail;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.HostTensors;

/** Element-wise tensor comparison {@code |a - b| <= atol + rtol |b|} with a message naming the worst element. */
final class TorchAsserts {
    private TorchAsserts() {}

    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        float[] e = HostTensors.toFloats(expected.detach().contiguous());
        float[] a = HostTensors.toFloats(actual.detach().contiguous());
        if (e.length != a.length) {
            fail(what + ": sizes differ " + e.length + " vs " + a.length);
        }
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]);
            if (!(err <= atol + rtol * Math.abs(e[i])) && (worst < 0 || err > worstErr)) {
                worst = i;
                worstErr = err;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " expected " + e[worst] + " got " + a[worst] + " (abs err " + worstErr + ")");
        }
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : HostTensors.toFloats(t.detach().contiguous())) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
