package org.peftarena.analysis.tensor;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.linalg.CudaLinalg;

/**
 * Conversions, shape checks and the few matrix operations the diagnostics take from LibTorch. The SVDs of
 * float32 CUDA matrices go to cuSOLVER ({@link CudaLinalg}) when the GPU path is available; every other
 * tensor takes LibTorch's {@code linalg_svd} / {@code linalg_svdvals} as before.
 */
public final class TensorMatrices {
    private TensorMatrices() {}

    /**
     * @param values row-major float32 [rows, cols]
     * @return a new float32 [rows, cols] tensor
     */
    public static Tensor ofFloats(float[] values, long rows, long cols) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException(values.length + " values cannot fill " + rows + "x" + cols);
        }
        Tensor t = torch.empty(new long[] {rows, cols}, new TensorOptions(torch.ScalarType.Float), null);
        t.data_ptr_float().put(values);
        return t;
    }

    /**
     * @param t any real tensor
     * @return its values widened to double, row-major
     */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.to(torch.ScalarType.Double).contiguous();
        double[] out = new double[Math.toIntExact(c.numel())];
        c.data_ptr_double().get(out);
        return out;
    }

    /**
     * @param t a tensor that must be 2-D and floating point
     * @param what its name in the error message
     * @throws IllegalArgumentException otherwise
     */
    public static void requireMatrix(Tensor t, String what) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException(what + " must be a 2-D matrix, got " + t.dim() + " dimensions");
        }
        if (!t.is_floating_point()) {
            throw new IllegalArgumentException(what + " must have a floating-point dtype");
        }
    }

    /** @return shape as "rows x cols" for messages */
    public static String shape(Tensor t) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < t.dim(); i++) {
            b.append(i == 0 ? "" : "x").append(t.size(i));
        }
        return b.toString();
    }

    /**
     * @param x [n, d]
     * @return {@code x} minus its column means, [n, d]
     */
    public static Tensor centreColumns(Tensor x) {
        return x.sub(x.mean(new long[] {0}, true, new ScalarTypeOptional()));
    }

    /** @return the Frobenius norm as a double */
    public static double frobenius(Tensor t) {
        return t.norm().item_double();
    }

    /** @return the sum of all entries as a double */
    public static double sum(Tensor t) {
        return t.sum().item_double();
    }

    /**
     * @param a [m, n]
     * @return thin SVD (U [m, k], S [k], Vh [k, n]), {@code k = min(m, n)}
     */
    public static T_TensorTensorTensor_T thinSvd(Tensor a) {
        if (onCuSolver(a)) {
            CudaLinalg.Svd usv = CudaLinalg.thinSvd(a);
            return new T_TensorTensorTensor_T(usv.u(), usv.s(), usv.vh());
        }
        return torch.linalg_svd(a, false, new StringViewOptional());
    }

    /**
     * @param a [m, n]
     * @return singular values, descending, [min(m, n)]
     */
    public static Tensor singularValues(Tensor a) {
        if (onCuSolver(a)) {
            return CudaLinalg.singularValues(a);
        }
        return torch.linalg_svdvals(a);
    }

    /** Whether {@code a} is a float32 CUDA matrix and cuSOLVER's path is available (a CPU tensor probes nothing). */
    static boolean onCuSolver(Tensor a) {
        return a.is_cuda() && a.dim() == 2 && CudaLinalg.handles(a);
    }

    /**
     * @param a [m, n] with {@code m >= n}
     * @return the R factor of the reduced QR decomposition, [n, n]
     */
    public static Tensor qrR(Tensor a) {
        return torch.linalg_qr(a, "reduced").get1();
    }

    /**
     * @param t [m, n]
     * @return column sums as doubles, double [n]
     */
    public static double[] columnSums(Tensor t) {
        return toDoubles(t.sum(new long[] {0}, false, new ScalarTypeOptional()));
    }

    /**
     * @param t [m, n]
     * @return Euclidean norms of the columns as doubles, double [n]
     */
    public static double[] columnNorms(Tensor t) {
        return toDoubles(t.norm(new org.bytedeco.pytorch.ScalarOptional(new Scalar(2.0)), new long[] {0}, false));
    }

    /**
     * @param values double [n]
     * @return a float64 [n] tensor
     */
    public static Tensor vector(double[] values) {
        Tensor t = torch.empty(new long[] {values.length}, new TensorOptions(torch.ScalarType.Double), null);
        t.data_ptr_double().put(values);
        return t;
    }

    /** A Scalar wrapper for arithmetic with tensors. */
    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /**
     * The Gram matrix of the rows by a symmetric rank-k update ({@code ssyrk}: half the
     * multiply-adds of a general product).
     *
     * @param a float32 [m, n]
     * @return {@code a a^T}, float32 [m, m], both triangles filled
     */
    public static Tensor rowGram(Tensor a) {
        requireMatrix(a, "matrix");
        if (a.scalar_type().intern() != torch.ScalarType.Float) {
            throw new IllegalArgumentException("rowGram needs a float32 matrix, got " + a.scalar_type());
        }
        Tensor x = a.contiguous();
        int m = Math.toIntExact(x.size(0));
        int n = Math.toIntExact(x.size(1));
        Tensor upper = torch.zeros(m, m).to(torch.ScalarType.Float);
        if (m == 0 || n == 0) {
            return upper;
        }
        openblas_nolapack.cblas_ssyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper,
                openblas_nolapack.CblasNoTrans, m, n, 1f, new FloatPointer(x.data_ptr_float()), n, 0f,
                new FloatPointer(upper.data_ptr_float()), m);
        Tensor u = upper.triu();   // only the upper triangle is written
        return u.add(u.triu(1).t());
    }
}
