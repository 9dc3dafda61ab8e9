package org.peftarena.model;

import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;

/**
 * Our kernels on LibTorch tensors, on the CPU or on a CUDA device, without copies: inputs are read where
 * they are (a contiguous tensor, or a matrix view whose rows are contiguous, is passed as it is; anything
 * else is made contiguous first), results are new tensors from LibTorch's allocator on the inputs' device
 * (on CUDA its caching allocator), and CUDA work is queued on LibTorch's current stream of that device, so
 * it is ordered with LibTorch's own work there and nothing synchronises.
 *
 * <p>Every input must be float32 and on one device; shapes are checked here with a message naming the
 * argument, and the kernels' own checks (block and matrix size limits, non-finite inputs on the CPU, device
 * arguments on CUDA) surface as {@link org.peftarena.kernels.KernelException}s. A CUDA tensor needs
 * LibTorch's CUDA build (the {@code -Pgpu} distribution); with a CPU build no CUDA tensor can exist.
 */
public final class TensorKernels {
    private final KernelOps ops;

    private TensorKernels(KernelOps ops) {
        this.ops = ops;
    }

    /** The kernels for tensors on any device. */
    public static TensorKernels create() {
        return new TensorKernels(KernelOps.cpu());
    }

    /** Singular values {@code s [batch, k]} and, when asked for, {@code u [batch, m, k]} and {@code vh [batch, k, n]}. */
    public record Svd(Tensor s, Tensor u, Tensor vh) {}

    /** Rotations {@code [batch, d, d]} (null when not asked for) and residuals {@code normF(X1 R - X0)} {@code [batch]}. */
    public record Procrustes(Tensor rotation, Tensor residual) {}

    /**
     * Batched Cayley transform of packed skew generators.
     *
     * @param packed generators {@code [batch, b(b-1)/2]} float32 (strict upper triangle, row-major)
     * @param b block size
     * @param variant exact or Neumann series
     * @param scale factor applied to the generators first
     * @return rotations {@code [batch, b, b]}
     */
    public Tensor cayley(Tensor packed, int b, CayleyVariant variant, float scale) {
        requireFloat(packed, "packed");
        long triangle = (long) b * (b - 1) / 2;
        if (b < 2 || packed.dim() != 2 || packed.size(1) != triangle) {
            throw new IllegalArgumentException("packed must be [batch, b(b-1)/2] = [batch, " + triangle + "] for b = " + b
                    + ", got " + shape(packed));
        }
        Tensor q = packed.contiguous();
        long batch = q.size(0);
        Tensor r = empty(new long[] {batch, b, b}, like(q));
        if (batch == 0) {
            return r;
        }
        if (q.is_cuda()) {
            CudaStreams.run(q, stream ->
                ops.cudaCayley(address(q), batch, b, variant, scale, address(r), stream));
        } else {
            ops.cayley(address(q), batch, b, variant, scale, address(r));
        }
        return r;
    }

    /**
     * Block-diagonal rotation {@code y = x R} ({@code x R^T} with {@code transpose}) of the last dimension.
     *
     * @param x input {@code [..., n]} float32
     * @param blocks {@code [n/b, b, b]} float32 on x's device
     * @param transpose apply the blocks' transposes
     * @return {@code y}, x's shape
     */
    public Tensor blockRotate(Tensor x, Tensor blocks, boolean transpose) {
        requireFloat(x, "x");
        return blockRotate(x, blocks, transpose, empty(shapeOf(x), like(x)));
    }

    /**
     * {@link #blockRotate(Tensor, Tensor, boolean)} written into {@code out} (no new tensor, no copy): the forward of the
     * OFT rotation fills the output autograd already tracks.
     *
     * @param out contiguous float32 tensor of x's shape on x's device, not overlapping x or the blocks
     * @return {@code out}
     */
    public Tensor blockRotate(Tensor x, Tensor blocks, boolean transpose, Tensor out) {
        requireFloat(x, "x");
        requireFloat(blocks, "blocks");
        requireFloat(out, "out");
        requireSameDevice(x, blocks, "blocks");
        requireSameDevice(x, out, "out");
        if (blocks.dim() != 3 || blocks.size(1) != blocks.size(2)) {
            throw new IllegalArgumentException("blocks must be [n/b, b, b], got " + shape(blocks));
        }
        long b = blocks.size(1);
        long n = x.dim() == 0 ? -1 : x.size(-1);
        if (n != blocks.size(0) * b) {
            throw new IllegalArgumentException("x's last dimension must be blocks x b = " + blocks.size(0) * b + ", got "
                    + shape(x));
        }
        if (!java.util.Arrays.equals(shapeOf(out), shapeOf(x)) || !out.is_contiguous()) {
            throw new IllegalArgumentException("out must be contiguous with x's shape " + shape(x) + ", got " + shape(out)
                    + (out.is_contiguous() ? "" : " (not contiguous)"));
        }
        Tensor rows2d = rows(x, n);
        long rows = rows2d.size(0);
        Tensor r = blocks.contiguous();
        if (rows > 0) {
            if (x.is_cuda()) {
                CudaStreams.run(x, stream ->
                    ops.cudaBlockRotate(address(rows2d), rows, n, rows2d.stride(0), address(r), (int) b, transpose,
                            address(out), n, stream));
            } else {
                ops.blockRotate(address(rows2d), rows, n, rows2d.stride(0), address(r), (int) b, transpose, address(out), n);
            }
        }
        return out;
    }

    /**
     * The block rotation's gradient with respect to its blocks: {@code out[j] = X_j^T G_j} summed over the rows, where
     * {@code X_j}, {@code G_j} are the j-th column blocks of {@code x} and {@code g} (for {@code y = x blockdiag(R_j)}
     * and {@code g = dL/dy}, {@code dL/dR_j}).
     *
     * @param x input {@code [..., n]} float32
     * @param g output gradient of x's shape, float32 on x's device
     * @param b block size, dividing n
     * @return {@code [n/b, b, b]}
     */
    public Tensor blockCross(Tensor x, Tensor g, int b) {
        requireFloat(x, "x");
        requireFloat(g, "g");
        requireSameDevice(x, g, "g");
        if (x.dim() == 0 || !java.util.Arrays.equals(shapeOf(x), shapeOf(g))) {
            throw new IllegalArgumentException("x and g must have one shape [..., n], got " + shape(x) + " and " + shape(g));
        }
        long n = x.size(-1);
        if (b < 1 || n % b != 0) {
            throw new IllegalArgumentException("block size " + b + " does not divide x's last dimension " + n);
        }
        Tensor xr = rows(x, n);
        Tensor gr = rows(g, n);
        long rows = xr.size(0);
        Tensor out = empty(new long[] {n / b, b, b}, like(x));
        if (rows == 0) {
            out.zero_();
            return out;
        }
        if (x.is_cuda()) {
            CudaStreams.run(x, stream ->
                ops.cudaBlockCross(address(xr), rows, n, xr.stride(0), address(gr), gr.stride(0), b, address(out), stream));
        } else {
            ops.blockCross(address(xr), rows, n, xr.stride(0), address(gr), gr.stride(0), b, address(out));
        }
        return out;
    }

    /**
     * Vector-Jacobian product of {@link #cayley} at scale 1: from {@code g = dL/dR} to {@code dL/dpacked}.
     *
     * @param packed generators {@code [batch, b(b-1)/2]} float32, as given to the forward
     * @param r the forward's rotations {@code [batch, b, b]} (read by the exact variant; may be null for the series)
     * @param g gradient of the rotations {@code [batch, b, b]}
     * @param b block size
     * @param variant the forward's variant
     * @return {@code [batch, b(b-1)/2]}
     */
    public Tensor cayleyVjp(Tensor packed, Tensor r, Tensor g, int b, CayleyVariant variant) {
        requireFloat(packed, "packed");
        requireFloat(g, "g");
        requireSameDevice(packed, g, "g");
        long triangle = (long) b * (b - 1) / 2;
        if (b < 2 || packed.dim() != 2 || packed.size(1) != triangle) {
            throw new IllegalArgumentException("packed must be [batch, b(b-1)/2] = [batch, " + triangle + "] for b = " + b
                    + ", got " + shape(packed));
        }
        long batch = packed.size(0);
        long[] square = {batch, b, b};
        if (!java.util.Arrays.equals(shapeOf(g), square)) {
            throw new IllegalArgumentException("g must be " + java.util.Arrays.toString(square) + ", got " + shape(g));
        }
        if (variant == null) {
            throw new IllegalArgumentException("argument 'variant' is null");
        }
        boolean needR = variant.isExact();
        if (needR || r != null) {
            requireFloat(r, "r");
            requireSameDevice(packed, r, "r");
            if (!java.util.Arrays.equals(shapeOf(r), square)) {
                throw new IllegalArgumentException("r must be " + java.util.Arrays.toString(square) + ", got " + shape(r));
            }
        }
        Tensor q = packed.contiguous();
        Tensor gc = g.contiguous();
        Tensor rc = r == null ? null : r.contiguous();
        Tensor dq = empty(new long[] {batch, triangle}, like(q));
        if (batch == 0) {
            return dq;
        }
        long ra = rc == null ? 0 : address(rc);
        if (q.is_cuda()) {
            CudaStreams.run(q, stream -> ops.cudaCayleyVjp(address(q), ra, address(gc), batch, b, variant, address(dq), stream));
        } else {
            ops.cayleyVjp(address(q), ra, address(gc), batch, b, variant, address(dq));
        }
        return dq;
    }

    /** {@code t} as rows of n: a matrix view with contiguous rows as it is, anything else made contiguous. */
    private static Tensor rows(Tensor t, long n) {
        return t.dim() == 2 && t.stride(1) == 1 && t.stride(0) >= n ? t : t.contiguous().reshape(-1, n);
    }

    /**
     * Batched SVD of small matrices.
     *
     * @param a {@code [batch, m, n]} float32
     * @param vectors also compute {@code u} and {@code vh}
     */
    public Svd svd(Tensor a, boolean vectors) {
        requireFloat(a, "a");
        if (a.dim() != 3) {
            throw new IllegalArgumentException("a must be [batch, m, n], got " + shape(a));
        }
        Tensor c = a.contiguous();
        long batch = c.size(0);
        int m = Math.toIntExact(c.size(1));
        int n = Math.toIntExact(c.size(2));
        int k = Math.min(m, n);
        TensorOptions o = like(c);
        Tensor s = empty(new long[] {batch, k}, o);
        Tensor u = vectors ? empty(new long[] {batch, m, k}, o) : null;
        Tensor vh = vectors ? empty(new long[] {batch, k, n}, o) : null;
        if (batch > 0) {
            long ua = u == null ? 0 : address(u);
            long va = vh == null ? 0 : address(vh);
            if (c.is_cuda()) {
                CudaStreams.run(c, stream ->
                    ops.cudaSvd(address(c), batch, m, n, address(s), ua, va, stream));
            } else {
                ops.svd(address(c), batch, m, n, address(s), ua, va);
            }
        }
        return new Svd(s, u, vh);
    }

    /**
     * Batched orthogonal Procrustes: the rotation {@code R} minimising {@code normF(X1 R - X0)} and that residual.
     *
     * @param x1 {@code [batch, rows, d]} float32
     * @param x0 {@code [batch, rows, d]} float32 on x1's device
     * @param rotation also return the rotations
     */
    public Procrustes procrustes(Tensor x1, Tensor x0, boolean rotation) {
        requireFloat(x1, "x1");
        requireFloat(x0, "x0");
        requireSameDevice(x1, x0, "x0");
        if (x1.dim() != 3 || !java.util.Arrays.equals(shapeOf(x1), shapeOf(x0))) {
            throw new IllegalArgumentException("x1 and x0 must both be [batch, rows, d], got " + shape(x1) + " and " + shape(x0));
        }
        Tensor a = x1.contiguous();
        Tensor b = x0.contiguous();
        long batch = a.size(0);
        long rows = a.size(1);
        int d = Math.toIntExact(a.size(2));
        TensorOptions o = like(a);
        Tensor rot = rotation ? empty(new long[] {batch, d, d}, o) : null;
        Tensor residual = empty(new long[] {batch}, o);
        if (batch > 0) {
            long ra = rot == null ? 0 : address(rot);
            if (a.is_cuda()) {
                CudaStreams.run(a, stream ->
                    ops.cudaProcrustes(address(a), address(b), batch, rows, d, ra, address(residual), stream));
            } else {
                ops.procrustes(address(a), address(b), batch, rows, d, ra, address(residual));
            }
        }
        return new Procrustes(rot, residual);
    }

    /**
     * Waits until the work queued so far on the tensor's device (LibTorch's current stream there) is done; on the
     * CPU, where every call returns when its work is done, nothing. For timing CUDA work.
     */
    public static void synchronize(Tensor t) {
        if (t.is_cuda()) {
            CudaStreams.synchronize(t);
        }
    }

    private static void requireFloat(Tensor t, String name) {
        if (t == null || t.isNull() || !t.defined()) {
            throw new IllegalArgumentException("argument '" + name + "' is null or undefined");
        }
        if (t.scalar_type().intern() != torch.ScalarType.Float) {
            throw new IllegalArgumentException("argument '" + name + "' must be float32, got " + t.scalar_type().intern());
        }
        if (!t.is_cuda() && !t.device().is_cpu()) {
            throw new IllegalArgumentException("argument '" + name + "' is on " + t.device().str().getString()
                    + "; the kernels run on the CPU and on CUDA");
        }
    }

    private static void requireSameDevice(Tensor first, Tensor other, String name) {
        if (first.device().notEquals(other.device())) {
            throw new IllegalArgumentException("argument '" + name + "' is on " + other.device().str().getString()
                    + ", the others on " + first.device().str().getString());
        }
    }

    private static Tensor empty(long[] shape, TensorOptions options) {
        return torch.empty(shape, options, new MemoryFormatOptional());
    }

    private static TensorOptions like(Tensor t) {
        return new TensorOptions(torch.ScalarType.Float).device(new DeviceOptional(t.device()));
    }

    private static long address(Tensor t) {
        return t.data_ptr().address();
    }

    private static long[] shapeOf(Tensor t) {
        return t.sizes().vec().get();
    }

    private static String shape(Tensor t) {
        return java.util.Arrays.toString(shapeOf(t));
    }
}
