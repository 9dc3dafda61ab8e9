package org.peftarena.analysis.weights;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.peftarena.model.Devices;

/**
 * Thin SVD of a pretrained weight, {@code W0 = U diag(s) V^T}: the part of every weight-space
 * diagnostic that does not depend on the finetuned model.
 *
 * @param u left singular vectors, float32 [out, k]
 * @param s singular values, descending, float32 [k]
 * @param v right singular vectors, float32 [in, k] (columns, not {@code Vh})
 */
public record BaseSpectrum(Tensor u, Tensor s, Tensor v) {
    /** Checks the shapes agree. */
    public BaseSpectrum {
        long k = s.size(0);
        if (u.dim() != 2 || v.dim() != 2 || s.dim() != 1 || u.size(1) != k || v.size(1) != k
                || k != Math.min(u.size(0), v.size(0))) {
            throw new IllegalArgumentException("inconsistent spectrum shapes: U " + TensorMatrices.shape(u) + ", s "
                    + TensorMatrices.shape(s) + ", V " + TensorMatrices.shape(v));
        }
    }

    /**
     * @param w0 pretrained weight, any float dtype [out, in]
     * @return its thin SVD in float32
     */
    public static BaseSpectrum compute(Tensor w0) {
        TensorMatrices.requireMatrix(w0, "base weight");
        T_TensorTensorTensor_T usv = TensorMatrices.thinSvd(w0.to(torch.ScalarType.Float).contiguous());
        return new BaseSpectrum(usv.get0().contiguous(), usv.get1().contiguous(), usv.get2().t().contiguous());
    }

    /**
     * The thin SVD computed on {@code device} (on CUDA through cuSOLVER, see {@link TensorMatrices#thinSvd}), with the
     * factors brought back to host memory, where the other diagnostics use them.
     *
     * @param w0 pretrained weight, any float dtype [out, in], in host memory
     * @param device where the decomposition runs; the CPU computes exactly {@link #compute(Tensor)}
     */
    public static BaseSpectrum compute(Tensor w0, Device device) {
        if (device.is_cpu()) {
            return compute(w0);
        }
        TensorMatrices.requireMatrix(w0, "base weight");
        BaseSpectrum there = compute(Devices.on(device, w0));
        Device host = Devices.cpu();
        return new BaseSpectrum(Devices.on(host, there.u()), Devices.on(host, there.s()), Devices.on(host, there.v()));
    }

    /** @return rows of W0 */
    public long out() {
        return u.size(0);
    }

    /** @return columns of W0 */
    public long in() {
        return v.size(0);
    }

    /** @return {@code min(out, in)} */
    public int k() {
        return (int) s.size(0);
    }

    /** @return the singular values as doubles, double [k] */
    public double[] singularValues() {
        return TensorMatrices.toDoubles(s);
    }
}
