package org.peftarena.analysis.reference;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.TensorMatrices;

/** Conversions between the double-precision oracle matrices and LibTorch tensors (tests only). */
public final class DMatrixTensors {
    private DMatrixTensors() {}

    /**
     * @param m any double matrix
     * @param type element type of the result (Float or Double)
     * @return a new contiguous [rows, cols] tensor holding {@code m}
     */
    public static Tensor of(DMatrix m, torch.ScalarType type) {
        Tensor t = torch.empty(new long[] {m.rows(), m.cols()}, new TensorOptions(torch.ScalarType.Double), null);
        t.data_ptr_double().put(m.values());
        return t.to(type);
    }

    /** @return a 2-D tensor as a double matrix (small tensors only) */
    public static DMatrix toMatrix(Tensor t) {
        TensorMatrices.requireMatrix(t, "tensor");
        return new DMatrix(Math.toIntExact(t.size(0)), Math.toIntExact(t.size(1)), TensorMatrices.toDoubles(t));
    }

}
