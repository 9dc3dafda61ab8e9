package org.peftarena.analysis.drift;

import org.peftarena.analysis.reference.DMatrixTensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.reference.ReferenceDrift;
import org.peftarena.analysis.weights.DenseUpdate;
import org.peftarena.analysis.weights.LowRankUpdate;

class CapabilityDriftTest {
    private static final torch.ScalarType F = torch.ScalarType.Float;

    private static void assertClose(CapabilityDrift want, CapabilityDrift got) {
        assertEquals(want.tokens(), got.tokens());
        Close.scalar(want.csdAbs(), got.csdAbs(), 1e-5, 0, "CSD_abs");
        Close.scalar(want.csdRel(), got.csdRel(), 1e-5, 0, "CSD_rel");
        Close.scalar(want.csdUn(), got.csdUn(), 1e-5, 0, "CSD_un");
    }

    @Test
    void denseAndLowRankMatchTheReference() {
        DMatrix w0 = DMatrix.ofFloats(9, 7, DMatrix.gaussian(9, 7, 1).toFloats());
        DMatrix b = DMatrix.ofFloats(9, 2, DMatrix.gaussian(9, 2, 2).toFloats());
        DMatrix a = DMatrix.ofFloats(2, 7, DMatrix.gaussian(2, 7, 3).toFloats());
        DMatrix h = DMatrix.ofFloats(13, 7, DMatrix.gaussian(13, 7, 4).toFloats());
        DMatrix dw = b.times(a).scale(0.5);
        CapabilityDrift want = ReferenceDrift.compute(w0, dw, h, 1e-6);
        assertClose(want, CapabilityDrift.of(DMatrixTensors.of(w0, F), new DenseUpdate(DMatrixTensors.of(dw, F)),
                DMatrixTensors.of(h, F), 1e-6));
        assertClose(want, CapabilityDrift.of(DMatrixTensors.of(w0, F),
                new LowRankUpdate(DMatrixTensors.of(b, F), DMatrixTensors.of(a, F), 0.5), DMatrixTensors.of(h, F), 1e-6));
    }

    @Test
    void ratiosDivideGeneralByTarget() {
        CapabilityDrift g = new CapabilityDrift(4, 1, 0.2, 0.03);
        CapabilityDrift t = new CapabilityDrift(4, 1, 0.4, 0.06);
        Close.scalar(0.5, CapabilityDrift.ratioRel(g, t, 0), 1e-15, 0, "ratio_rel");
        Close.scalar(0.03 / (0.06 + 0.1), CapabilityDrift.ratioUn(g, t, 0.1), 1e-15, 0, "ratio_un with eps");
    }

    @Test
    void mismatchedInputWidthIsAClearError() {
        assertThrows(DiagnosticInputException.class, () -> CapabilityDrift.of(DMatrixTensors.of(DMatrix.gaussian(3, 4, 1), F),
                new DenseUpdate(DMatrixTensors.of(DMatrix.gaussian(3, 4, 2), F)),
                DMatrixTensors.of(DMatrix.gaussian(5, 6, 3), F), 1e-12));
    }
}
