package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelArgumentException;

/**
 * The kernels on LibTorch tensors (CPU here): each result against LibTorch's own operations on the same
 * tensors, views passed without copies, results on the inputs' device, and clear errors for bad tensors.
 */
class TensorKernelsTest {
    private static final TensorKernels K = TensorKernels.create();

    @BeforeAll
    static void seed() {
        torch.manual_seed(11);
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item_double();
    }

    /** The skew matrices of packed strict upper triangles [batch, b(b-1)/2]. */
    private static Tensor skew(Tensor packed, int b) {
        long batch = packed.size(0);
        Tensor q = torch.zeros(batch, b, b);
        int k = 0;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                Tensor v = packed.select(1, k++);
                q.select(1, i).select(1, j).copy_(v);
                q.select(1, j).select(1, i).copy_(v.neg());
            }
        }
        return q;
    }

    @Test
    void blockRotateIntoAGivenOutputWritesThereAndNowhereElse() {
        Tensor x = torch.randn(3, 5, 12);
        Tensor blocks = torch.randn(3, 4, 4);
        Tensor out = torch.full(new long[] {3, 5, 12}, new Scalar(Double.NaN));
        Tensor returned = K.blockRotate(x, blocks, true, out);
        assertTrue(returned.equals(out) || returned.data_ptr().address() == out.data_ptr().address(), "the same tensor");
        assertTrue(torch.equal(out, K.blockRotate(x, blocks, true)), "bit for bit the allocating form");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> K.blockRotate(x, blocks, false, torch.empty(15, 12)));
        assertTrue(e.getMessage().contains("out must be contiguous with x's shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.blockRotate(x, blocks, false, torch.empty(3, 12, 5).transpose(1, 2)));
        assertTrue(e.getMessage().contains("not contiguous"), e.getMessage());
    }

    @Test
    void blockCrossIsEachColumnBlocksXTransposeG() {
        int b = 4;
        Tensor x = torch.randn(2, 7, 12);
        Tensor g = torch.randn(2, 7, 12);
        Tensor out = K.blockCross(x, g, b);
        Tensor xb = x.reshape(14, 3, b).permute(1, 2, 0);  // [blocks, b, rows]
        Tensor gb = g.reshape(14, 3, b).transpose(0, 1);    // [blocks, rows, b]
        Tensor expected = torch.bmm(xb, gb);
        assertEquals(3L, out.size(0));
        assertTrue(maxAbs(out.sub(expected)) < 1e-4, "max difference " + maxAbs(out.sub(expected)));
        // a matrix view with padded rows is read as it is
        Tensor padded = torch.randn(14, 16);
        Tensor view = padded.narrow(1, 0, 12);
        Tensor viaView = K.blockCross(view, g.reshape(14, 12), b);
        assertTrue(maxAbs(viaView.sub(K.blockCross(view.contiguous(), g.reshape(14, 12), b))) == 0.0, "same sums");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> K.blockCross(x, g, 5));
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> K.blockCross(x, g.narrow(1, 0, 6), 4));
        assertTrue(e.getMessage().contains("one shape"), e.getMessage());
    }

    /** {@code <g, (R(q + eps d) - R(q - eps d)) / 2 eps>} through the forward kernel. */
    private static double centralDifference(Tensor packed, Tensor direction, Tensor g, int b, CayleyVariant variant,
                                            double eps) {
        Tensor plus = K.cayley(packed.add(direction.mul(new Scalar(eps))), b, variant, 1f);
        Tensor minus = K.cayley(packed.sub(direction.mul(new Scalar(eps))), b, variant, 1f);
        return plus.to(torch.ScalarType.Double).sub(minus.to(torch.ScalarType.Double)).mul(g.to(torch.ScalarType.Double))
                .sum().item_double() / (2 * eps);
    }

    @Test
    void cayleyVjpIsTheDirectionalDerivativeOfTheForward() {
        int b = 5;
        long triangle = (long) b * (b - 1) / 2;
        for (CayleyVariant variant : new CayleyVariant[] {CayleyVariant.EXACT, CayleyVariant.NEUMANN_5}) {
            Tensor packed = torch.randn(3, triangle).mul(new Scalar(0.2));
            Tensor direction = torch.randn(3, triangle);
            Tensor g = torch.randn(3, b, b);
            Tensor r = K.cayley(packed, b, variant, 1f);
            Tensor dq = K.cayleyVjp(packed, r, g, b, variant);
            assertEquals(triangle, dq.size(1));
            // central differences at eps and eps/2 combined (Richardson) so the eps^2 error term cancels
            double eps = 2e-2;
            double coarse = centralDifference(packed, direction, g, b, variant, eps);
            double fine = centralDifference(packed, direction, g, b, variant, eps / 2);
            double numeric = (4 * fine - coarse) / 3;
            double analytic = dq.mul(direction).sum().item_double();
            assertTrue(Math.abs(numeric - analytic) <= 2e-3 * Math.max(1, Math.abs(numeric)),
                    variant + ": <dq, d> = " + analytic + " against the central difference " + numeric);
        }
        Tensor packed = torch.randn(2, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> K.cayleyVjp(packed, null, torch.randn(2, 5, 5), 5, CayleyVariant.EXACT));
        assertTrue(e.getMessage().contains("'r'"), "the exact variant needs the forward's rotations: " + e.getMessage());
    }

    @Test
    void cayleyIsTheExactTransform() {
        int b = 6;
        Tensor packed = torch.randn(5, b * (b - 1) / 2).mul(new Scalar(0.3));
        Tensor r = K.cayley(packed, b, CayleyVariant.EXACT, 1f);
        Tensor q = skew(packed, b);
        Tensor eye = torch.eye(b).expand(5, b, b);
        // R = (I - Q)(I + Q)^-1, i.e. R (I + Q) = I - Q
        Tensor residual = torch.matmul(r, eye.add(q)).sub(eye.sub(q));
        assertTrue(maxAbs(residual) < 1e-5, "max residual " + maxAbs(residual));
        assertEquals(torch.ScalarType.Float, r.scalar_type().intern());
        Tensor orth = torch.matmul(r, r.transpose(1, 2)).sub(eye);
        assertTrue(maxAbs(orth) < 1e-5, "a rotation");
    }

    @Test
    void blockRotateMatchesPerBlockProductsAndTakesRowViews() {
        int b = 4;
        long rows = 7;
        long n = 12;
        Tensor blocks = torch.randn(n / b, b, b);
        Tensor wide = torch.randn(rows, n + 5);
        Tensor x = wide.narrow(1, 2, n); // rows with stride n + 5, no copy needed
        Tensor ref = torch.matmul(x.reshape(rows, n / b, b).transpose(0, 1), blocks).transpose(0, 1).reshape(rows, n);
        Tensor y = K.blockRotate(x, blocks, false);
        assertTrue(maxAbs(y.sub(ref)) < 1e-5, "x_j R_j per block: " + maxAbs(y.sub(ref)));
        Tensor refT = torch.matmul(x.reshape(rows, n / b, b).transpose(0, 1), blocks.transpose(1, 2)).transpose(0, 1)
                .reshape(rows, n);
        assertTrue(maxAbs(K.blockRotate(x, blocks, true).sub(refT)) < 1e-5, "x_j R_j^T with transpose");
        Tensor batched = torch.randn(2, 3, n);
        Tensor yb = K.blockRotate(batched, blocks, false);
        assertEquals(3, yb.dim());
        Tensor flat = K.blockRotate(batched.reshape(6, n), blocks, false);
        assertTrue(maxAbs(yb.reshape(6, n).sub(flat)) == 0, "leading dimensions are rows");
    }

    @Test
    void svdMatchesLibTorch() {
        Tensor a = torch.randn(3, 9, 5);
        TensorKernels.Svd values = K.svd(a, false);
        assertNull(values.u());
        Tensor ref = torch.linalg_svdvals(a);
        assertTrue(maxAbs(values.s().sub(ref)) < 1e-4, "singular values");
        TensorKernels.Svd full = K.svd(a, true);
        Tensor rebuilt = torch.matmul(full.u().mul(full.s().unsqueeze(1)), full.vh());
        assertTrue(maxAbs(rebuilt.sub(a)) < 1e-4, "U diag(s) Vh = A: " + maxAbs(rebuilt.sub(a)));
    }

    @Test
    void procrustesMatchesTheSvdSolution() {
        Tensor x0 = torch.randn(2, 40, 6);
        Tensor x1 = x0.add(torch.randn(2, 40, 6).mul(new Scalar(0.3)));
        TensorKernels.Procrustes p = K.procrustes(x1, x0, true);
        Tensor m = torch.matmul(x1.transpose(1, 2), x0);
        var svd = torch.linalg_svd(m);
        Tensor rot = torch.matmul(svd.get0(), svd.get2());
        Tensor residual = torch.matmul(x1, rot).sub(x0).reshape(2, -1).square().sum(1).sqrt();
        assertTrue(maxAbs(p.rotation().sub(rot)) < 1e-4, "rotation");
        assertTrue(maxAbs(p.residual().sub(residual)) < 1e-3 * maxAbs(residual), "residual " + p.residual() + " vs " + residual);
        assertNull(K.procrustes(x1, x0, false).rotation());
    }

    @Test
    void badTensorsGetClearErrors() {
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> K.cayley(torch.randn(2, 6).to(torch.ScalarType.Double), 4, CayleyVariant.EXACT, 1f));
        assertTrue(dtype.getMessage().contains("'packed' must be float32"), dtype.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> K.cayley(torch.randn(2, 5), 4, CayleyVariant.EXACT, 1f));
        assertTrue(shape.getMessage().contains("[batch, 6]"), shape.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> K.blockRotate(torch.randn(3, 10), torch.randn(3, 4, 4), false));
        assertTrue(width.getMessage().contains("last dimension must be blocks x b = 12"), width.getMessage());
        assertThrows(IllegalArgumentException.class, () -> K.procrustes(torch.randn(1, 4, 3), torch.randn(1, 4, 2), false));
        assertThrows(IllegalArgumentException.class, () -> K.svd(new Tensor(), false));
        // the kernels' own limits: SVD matrices up to 128 x 128
        assertThrows(KernelArgumentException.class, () -> K.svd(torch.randn(1, 130, 4), false));
    }
}
