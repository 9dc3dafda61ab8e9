package org.peftarena.model.linalg;

import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_LOWER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_UPPER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cusolver.CUSOLVER_EIG_MODE_NOVECTOR;
import static org.bytedeco.cuda.global.cusolver.CUSOLVER_EIG_MODE_VECTOR;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cusolver.cusolverDnContext;
import org.bytedeco.cuda.cusolver.gesvdjInfo;
import org.bytedeco.cuda.cusolver.syevjInfo;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cusolver;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.cuda.CUDAGuard;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * The one class that touches the CUDA presets ({@code org.bytedeco.cuda.*}) and LibTorch's CUDA context
 * ({@code torch_cuda}, {@code CUDAGuard}); their static initialisers need an NVIDIA driver and, failing, leave
 * the classes unusable for the process. {@link CudaLinalg} calls in here only after our own probe found a
 * device, so this class is never initialised on a machine without one.
 *
 * <p>Every call makes the tensors' device current and takes LibTorch's cuSOLVER / cuBLAS handle for it, which
 * LibTorch has bound to its current stream there: the work is ordered with LibTorch's own and nothing waits.
 * Workspaces come from LibTorch's caching allocator as tensors on that stream. Arguments were checked by
 * {@link CudaLinalg}; buffers are contiguous float32 (info int32) tensors on one device.
 */
final class CudaPresetCalls {
    static {
        CudaLinalg.markPresetsTouched();
    }

    private CudaPresetCalls() {}

    /**
     * {@code cusolverDnSgesvdj} in economy mode.
     *
     * @param a the column-major input {@code [solverRows, solverCols]}, overwritten
     * @param s singular values, {@code [k]}
     * @param u cuSOLVER's {@code U}, {@code [uElements]}; written with {@code vectors}
     * @param v cuSOLVER's {@code V}, {@code [vElements]}; written with {@code vectors}
     * @return the device {@code info}, int32 {@code [1]}, to be read when the result is needed
     */
    @SuppressWarnings("try") // the guard is used for its extent
    static Tensor gesvdj(Tensor a, SvdLayout l, boolean vectors, Tensor s, Tensor u, Tensor v) {
        try (CUDAGuard guard = new CUDAGuard(a.device()); IntPointer lwork = new IntPointer(1)) {
            cusolverDnContext h = torch_cuda.getCurrentCUDASolverDnHandle();
            gesvdjInfo params = new gesvdjInfo();
            SolverChecks.cusolver("cusolverDnCreateGesvdjInfo", cusolver.cusolverDnCreateGesvdjInfo(params));
            try {
                int jobz = vectors ? CUSOLVER_EIG_MODE_VECTOR : CUSOLVER_EIG_MODE_NOVECTOR;
                SolverChecks.cusolver("cusolverDnSgesvdj_bufferSize", cusolver.cusolverDnSgesvdj_bufferSize(h, jobz, 1,
                        l.solverRows(), l.solverCols(), f(a), l.lda(), f(s), f(u), l.ldu(), f(v), l.ldv(), lwork, params));
                Tensor work = workspace("cusolverDnSgesvdj_bufferSize", lwork.get(), a);
                Tensor info = ints(1, a);
                SolverChecks.cusolver("cusolverDnSgesvdj", cusolver.cusolverDnSgesvdj(h, jobz, 1, l.solverRows(),
                        l.solverCols(), f(a), l.lda(), f(s), f(u), l.ldu(), f(v), l.ldv(), f(work), lwork.get(),
                        info.data_ptr_int(), params));
                return info;
            } finally {
                SolverChecks.cusolver("cusolverDnDestroyGesvdjInfo", cusolver.cusolverDnDestroyGesvdjInfo(params));
            }
        }
    }

    /**
     * {@code cusolverDnSgesvdjBatched} (square {@code U} and {@code V}, m, n at most 32).
     *
     * @return the device {@code info}, int32 {@code [batch]}
     */
    @SuppressWarnings("try") // the guard is used for its extent
    static Tensor gesvdjBatched(Tensor a, SvdLayout l, boolean vectors, Tensor s, Tensor u, Tensor v) {
        int batch = RowMajorGemm.toInt(l.batch(), "batch");
        try (CUDAGuard guard = new CUDAGuard(a.device()); IntPointer lwork = new IntPointer(1)) {
            cusolverDnContext h = torch_cuda.getCurrentCUDASolverDnHandle();
            gesvdjInfo params = new gesvdjInfo();
            SolverChecks.cusolver("cusolverDnCreateGesvdjInfo", cusolver.cusolverDnCreateGesvdjInfo(params));
            try {
                int jobz = vectors ? CUSOLVER_EIG_MODE_VECTOR : CUSOLVER_EIG_MODE_NOVECTOR;
                SolverChecks.cusolver("cusolverDnSgesvdjBatched_bufferSize", cusolver.cusolverDnSgesvdjBatched_bufferSize(
                        h, jobz, l.solverRows(), l.solverCols(), f(a), l.lda(), f(s), f(u), l.ldu(), f(v), l.ldv(), lwork,
                        params, batch));
                Tensor work = workspace("cusolverDnSgesvdjBatched_bufferSize", lwork.get(), a);
                Tensor info = ints(batch, a);
                SolverChecks.cusolver("cusolverDnSgesvdjBatched", cusolver.cusolverDnSgesvdjBatched(h, jobz,
                        l.solverRows(), l.solverCols(), f(a), l.lda(), f(s), f(u), l.ldu(), f(v), l.ldv(), f(work),
                        lwork.get(), info.data_ptr_int(), params, batch));
                return info;
            } finally {
                SolverChecks.cusolver("cusolverDnDestroyGesvdjInfo", cusolver.cusolverDnDestroyGesvdjInfo(params));
            }
        }
    }

    /**
     * {@code cusolverDnSsyevj} (one matrix) or {@code cusolverDnSsyevjBatched}, eigenvectors written over
     * {@code a}, eigenvalues ascending into {@code w}.
     *
     * @return the device {@code info}, int32 {@code [batch]}
     */
    @SuppressWarnings("try") // the guard is used for its extent
    static Tensor syevj(Tensor a, EighLayout l, Tensor w) {
        int batch = RowMajorGemm.toInt(l.batch(), "batch");
        int uplo = l.upperInColumnMajor() ? CUBLAS_FILL_MODE_UPPER : CUBLAS_FILL_MODE_LOWER;
        int jobz = CUSOLVER_EIG_MODE_VECTOR;
        try (CUDAGuard guard = new CUDAGuard(a.device()); IntPointer lwork = new IntPointer(1)) {
            cusolverDnContext h = torch_cuda.getCurrentCUDASolverDnHandle();
            syevjInfo params = new syevjInfo();
            SolverChecks.cusolver("cusolverDnCreateSyevjInfo", cusolver.cusolverDnCreateSyevjInfo(params));
            try {
                Tensor info = ints(batch, a);
                if (l.single()) {
                    SolverChecks.cusolver("cusolverDnSsyevj_bufferSize", cusolver.cusolverDnSsyevj_bufferSize(h, jobz,
                            uplo, l.n(), f(a), l.lda(), f(w), lwork, params));
                    Tensor work = workspace("cusolverDnSsyevj_bufferSize", lwork.get(), a);
                    SolverChecks.cusolver("cusolverDnSsyevj", cusolver.cusolverDnSsyevj(h, jobz, uplo, l.n(), f(a),
                            l.lda(), f(w), f(work), lwork.get(), info.data_ptr_int(), params));
                } else {
                    SolverChecks.cusolver("cusolverDnSsyevjBatched_bufferSize", cusolver.cusolverDnSsyevjBatched_bufferSize(
                            h, jobz, uplo, l.n(), f(a), l.lda(), f(w), lwork, params, batch));
                    Tensor work = workspace("cusolverDnSsyevjBatched_bufferSize", lwork.get(), a);
                    SolverChecks.cusolver("cusolverDnSsyevjBatched", cusolver.cusolverDnSsyevjBatched(h, jobz, uplo,
                            l.n(), f(a), l.lda(), f(w), f(work), lwork.get(), info.data_ptr_int(), params, batch));
                }
                return info;
            } finally {
                SolverChecks.cusolver("cusolverDnDestroySyevjInfo", cusolver.cusolverDnDestroySyevjInfo(params));
            }
        }
    }

    /**
     * {@code c = alpha op(X) op(Y) + beta c} in float32 through {@code cublasSgemm}, row-major buffers.
     *
     * @param x row-major buffer of {@code X}
     * @param y row-major buffer of {@code Y}
     * @param c row-major buffer of {@code C}, read when {@code beta != 0}
     */
    @SuppressWarnings("try") // the guard is used for its extent
    static void sgemm(RowMajorGemm g, float alpha, Tensor x, Tensor y, float beta, Tensor c) {
        try (CUDAGuard guard = new CUDAGuard(c.device()); FloatPointer al = new FloatPointer(alpha);
                FloatPointer be = new FloatPointer(beta)) {
            cublasContext h = torch_cuda.getCurrentCUDABlasHandle();
            SolverChecks.cublas("cublasSgemm", cublas.cublasSgemm_v2(h, op(g.transA()), op(g.transB()), g.m(), g.n(), g.k(),
                    al, f(y), g.lda(), f(x), g.ldb(), be, f(c), g.ldc()));
        }
    }

    /** As {@link #sgemm}, in float64 through {@code cublasDgemm}. */
    @SuppressWarnings("try") // the guard is used for its extent
    static void dgemm(RowMajorGemm g, double alpha, Tensor x, Tensor y, double beta, Tensor c) {
        try (CUDAGuard guard = new CUDAGuard(c.device()); DoublePointer al = new DoublePointer(alpha);
                DoublePointer be = new DoublePointer(beta)) {
            cublasContext h = torch_cuda.getCurrentCUDABlasHandle();
            SolverChecks.cublas("cublasDgemm", cublas.cublasDgemm_v2(h, op(g.transA()), op(g.transB()), g.m(), g.n(), g.k(),
                    al, y.data_ptr_double(), g.lda(), x.data_ptr_double(), g.ldb(), be, c.data_ptr_double(), g.ldc()));
        }
    }

    private static int op(boolean transpose) {
        return transpose ? CUBLAS_OP_T : CUBLAS_OP_N;
    }

    private static FloatPointer f(Tensor t) {
        return t.data_ptr_float();
    }

    private static Tensor workspace(String call, int lwork, Tensor like) {
        return torch.empty(new long[] {SolverChecks.workspaceElements(call, lwork)},
                new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(like.device())), new MemoryFormatOptional());
    }

    private static Tensor ints(long n, Tensor like) {
        return torch.zeros(new long[] {n}, new TensorOptions(torch.ScalarType.Int).device(new DeviceOptional(like.device())));
    }
}
