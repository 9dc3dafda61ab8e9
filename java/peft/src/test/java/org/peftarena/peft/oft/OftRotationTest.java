package org.peftarena.peft.oft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.CayleyVariant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.BaseLinear;

/** OFT's parameterisation pinned against double-precision references written from the methods contract. */
class OftRotationTest {
    private static Tensor randomPacked(long seed, int blocks, int b, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[blocks * b * (b - 1) / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return HostTensors.floats(v, blocks, b * (b - 1) / 2);
    }

    /** Q of block {@code blk} in double, from the packed vector: strict upper triangle row-major, minus its transpose. */
    private static double[][] skewReference(float[] packed, int blk, int b) {
        double[][] q = new double[b][b];
        int k = blk * b * (b - 1) / 2;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                q[i][j] = packed[k];
                q[j][i] = -packed[k];
                k++;
            }
        }
        return q;
    }

    private static double[][] mul(double[][] a, double[][] c) {
        int n = a.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    r[i][j] += a[i][k] * c[k][j];
                }
            }
        }
        return r;
    }

    private static double[][] eye(int n) {
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            r[i][i] = 1;
        }
        return r;
    }

    /** {@code I + 2Q + ... + 2Q^(n-2) + Q^(n-1)} in double. */
    private static double[][] neumannReference(double[][] q, int terms) {
        int b = q.length;
        double[][] r = eye(b);
        double[][] p = eye(b);
        for (int k = 1; k < terms; k++) {
            p = mul(p, q);
            double c = k == terms - 1 ? 1 : 2;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    r[i][j] += c * p[i][j];
                }
            }
        }
        return r;
    }

    private static double maxDiff(double[][] ref, float[] actual, int blk, int b) {
        double m = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                m = Math.max(m, Math.abs(ref[i][j] - actual[blk * b * b + i * b + j]));
            }
        }
        return m;
    }

    @Test
    void patersonStockmeyerNeedsFewerProductsThanTheChain() {
        assertEquals(2, org.peftarena.kernels.CayleyNeumannSeries.of(5).split(), "5 terms: powers up to Q^2");
    }

    @Test
    void packedVectorFillsTheStrictUpperTriangleRowMajor() {
        Tensor q = CayleyTransform.skew(HostTensors.floats(new float[] {1, 2, 3}, 1, 3), 3);
        assertArrayEquals(new float[] {0, 1, 2, -1, 0, 3, -2, -3, 0}, HostTensors.toFloats(q));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 6, 9, 10, 17})
    void neumannSeriesMatchesTheContractFormula(int terms) {
        int b = 6;
        Tensor packed = randomPacked(terms, 3, b, 0.2);
        float[] p = HostTensors.toFloats(packed);
        float[] r = HostTensors.toFloats(CayleyTransform.rotations(packed, b, CayleyVariant.neumannSeries(terms)));
        for (int blk = 0; blk < 3; blk++) {
            assertTrue(maxDiff(neumannReference(skewReference(p, blk, b), terms), r, blk, b) < 1e-5, "block " + blk);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 16, 33})
    void kernelExactCayleyHasTheValueAndGradientOfTheSolve(int b) {
        Tensor packed = randomPacked(31 + b, 6, b, 0.3);
        Tensor weights = torch.randn(6, b, b);
        Tensor p1 = packed.clone().requires_grad_(true);
        Tensor p2 = packed.clone().requires_grad_(true);
        Tensor viaKernel = CayleyTransform.kernelExact(CayleyTransform.skew(p1, b));
        assertNotNull(viaKernel, "float32 CPU blocks take the kernel path");
        Tensor viaSolve = CayleyTransform.exactSolve(CayleyTransform.skew(p2, b));
        double value = HostTensors.toFloats(viaKernel.sub(viaSolve).abs().max())[0];
        assertTrue(value < 1e-5, "value: max diff " + value);
        viaKernel.mul(weights).sum().backward();
        viaSolve.mul(weights).sum().backward();
        double grad = HostTensors.toFloats(p1.grad().sub(p2.grad()).abs().max())[0];
        double scale = HostTensors.toFloats(p2.grad().abs().max())[0];
        assertTrue(scale > 1e-3, "the gradient must not vanish: " + scale);
        assertTrue(grad < 1e-4 * scale, "gradient: max diff " + grad + " of " + scale);
    }

    /**
     * Inside a {@code PointerScope} the gradient is the kernel's vector-Jacobian product, through a hook on the clone that
     * carries the value (not LibTorch's surrogate): the same value and gradient as the solve.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 5, 16, 33})
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void kernelExactCayleyInAScopeTakesTheKernelsGradient(int b) {
        try (PointerScope scope = new PointerScope()) {
            Tensor q = CayleyTransform.skew(randomPacked(7, 2, b, 0.3).requires_grad_(true), b);
            String node = CayleyTransform.kernelExact(q).grad_fn().name().getString();
            assertTrue(node.startsWith("CloneBackward"), "the hooked clone carries the value: " + node);
            kernelExactCayleyHasTheValueAndGradientOfTheSolve(b);
        }
        Tensor q = CayleyTransform.skew(randomPacked(7, 2, b, 0.3).requires_grad_(true), b);
        String node = CayleyTransform.kernelExact(q).grad_fn().name().getString();
        assertTrue(node.startsWith("SubBackward"), "outside a scope, LibTorch's surrogate: " + node);
    }

    /**
     * The hooked gradient of a generator that is not skew-symmetric, made skew as BOFT does ({@code (G - G^T)/2}): equal to
     * the solve's, on the host kernel and on the code path of CUDA tensors.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void kernelExactCayleyGradientOfBoftsSkewPartMatchesTheSolve(boolean tensorKernels) {
        int b = 8;
        Tensor generators = torch.randn(5, b, b).mul(new org.bytedeco.pytorch.Scalar(0.4));
        Tensor weights = torch.randn(5, b, b);
        Tensor g1 = generators.clone().requires_grad_(true);
        Tensor g2 = generators.clone().requires_grad_(true);
        NativeBlockRotation.tensorKernelsOnCpu = tensorKernels;
        try (PointerScope scope = new PointerScope()) {
            Tensor viaKernel = CayleyTransform.kernelExact(g1.sub(g1.transpose(1, 2)).mul(new org.bytedeco.pytorch.Scalar(0.5)));
            Tensor viaSolve = CayleyTransform.exactSolve(g2.sub(g2.transpose(1, 2)).mul(new org.bytedeco.pytorch.Scalar(0.5)));
            viaKernel.mul(weights).sum().backward();
            viaSolve.mul(weights).sum().backward();
            double grad = HostTensors.toFloats(g1.grad().sub(g2.grad()).abs().max())[0];
            double scale = HostTensors.toFloats(g2.grad().abs().max())[0];
            assertTrue(scale > 1e-3, "the gradient must not vanish: " + scale);
            assertTrue(grad < 1e-4 * scale, "gradient: max diff " + grad + " of " + scale);
        } finally {
            NativeBlockRotation.tensorKernelsOnCpu = false;
        }
    }

    /** The same through the code path of CUDA tensors ({@code TensorKernels}), on the CPU build of the kernel. */
    @ParameterizedTest
    @ValueSource(ints = {2, 16, 33})
    void kernelExactCayleyInItsDeviceFormHasTheValueAndGradientOfTheSolve(int b) {
        NativeBlockRotation.tensorKernelsOnCpu = true;
        try {
            kernelExactCayleyHasTheValueAndGradientOfTheSolve(b);
        } finally {
            NativeBlockRotation.tensorKernelsOnCpu = false;
        }
    }

    @Test
    void exactRotationIsOrthogonalWithDeterminantOne() {
        int b = 8;
        Tensor r = CayleyTransform.rotations(randomPacked(3, 4, b, 0.5), b, CayleyVariant.EXACT);
        Tensor eye = torch.eye(b).unsqueeze(0).expand(4, b, b);
        double orth = HostTensors.toFloats(torch.bmm(r.transpose(1, 2), r).sub(eye).abs().max())[0];
        assertTrue(orth < 1e-5, "max |R^T R - I| = " + orth);
        for (float d : HostTensors.toFloats(torch.linalg_det(r))) {
            assertEquals(1.0, d, 1e-4);
        }
    }

    @Test
    void exactIsTheTransposeOfWhatNeumannApproximates() {
        int b = 5;
        // a small generator with many terms: the series has converged to (I + Q)(I - Q)^-1
        Tensor packed = randomPacked(9, 3, b, 0.05);
        Tensor neumann = CayleyTransform.rotations(packed, b, CayleyVariant.neumannSeries(24));
        Tensor exact = CayleyTransform.rotations(packed, b, CayleyVariant.EXACT);
        double toTranspose = HostTensors.toFloats(neumann.sub(exact.transpose(1, 2)).abs().max())[0];
        double toSame = HostTensors.toFloats(neumann.sub(exact).abs().max())[0];
        assertTrue(toTranspose < 1e-6, "Neumann vs exact^T: " + toTranspose);
        assertTrue(toSame > 1e-2, "Neumann vs exact (should differ by ~4Q): " + toSame);
        // and the exact variant is (I - Q)(I + Q)^-1 in double
        float[] p = HostTensors.toFloats(packed);
        float[] ex = HostTensors.toFloats(exact);
        for (int blk = 0; blk < 3; blk++) {
            double[][] q = skewReference(p, blk, b);
            double[][] series = neumannReference(negate(q), 40); // (I - Q)(I + Q)^-1 is the converged series of -Q
            assertTrue(maxDiff(series, ex, blk, b) < 1e-6, "block " + blk);
        }
    }

    private static double[][] negate(double[][] q) {
        double[][] r = new double[q.length][q.length];
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q.length; j++) {
                r[i][j] = -q[i][j];
            }
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"NEUMANN", "EXACT"})
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void inputCentricForwardEqualsTheDenseBlockDiagonalRotation(String variant) {
        torch.manual_seed(4);
        BaseLinear base = new BaseLinear("model.layers.0.mlp.down_proj", torch.randn(6, 12), torch.randn(6));
        OftLayer layer = new OftLayer(base, new OftConfig(4, "EXACT".equals(variant) ? CayleyVariant.EXACT : CayleyVariant.NEUMANN_5));
        try (NoGradGuard g = new NoGradGuard()) {
            layer.packed().add_(randomPacked(1, 3, 4, 0.3));
        }
        Tensor x = torch.randn(2, 5, 12);
        Tensor r = layer.rotations();
        Tensor dense = torch.block_diag(new TensorVector(r.select(0, 0), r.select(0, 1), r.select(0, 2)));
        Tensor merged = base.weight().matmul(dense.t()); // W0 R_bd^T
        Tensor expected = torch.linear(x, merged, base.bias());
        float[] e = HostTensors.toFloats(expected);
        float[] a = HostTensors.toFloats(layer.forward(x));
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-4, "element " + i);
        }
    }

    @Test
    void blockSizeThatDoesNotDivideUsesTheNearestDivisor() {
        BaseLinear base = new BaseLinear("model.layers.0.self_attn.q_proj", torch.randn(8, 24), null);
        OftLayer layer = new OftLayer(base, new OftConfig(5));
        assertEquals(4, layer.blockSize()); // 4 and 6 are equally near: HF PEFT takes the lower
        assertArrayEquals(new long[] {6, 6}, HostTensors.shape(layer.packed()));
        assertEquals(6, new OftLayer(base, new OftConfig(7)).blockSize());
        assertEquals(24, new OftLayer(base, new OftConfig(40)).blockSize());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8, 16, 33})
    void bothVariantsMatchTheKernelReferences(int b) {
        int blocks = 5;
        Tensor packed = randomPacked(b, blocks, b, 0.3 / Math.sqrt(b));
        float[] p32 = HostTensors.toFloats(packed);
        double[] p = new double[p32.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = p32[i];
        }
        double[] exactRef = org.peftarena.kernels.reference.CayleyReference.exact(p, blocks, b, 1.0);
        float[] exact = HostTensors.toFloats(CayleyTransform.rotations(packed, b, CayleyVariant.EXACT));
        for (int terms : new int[] {5, 7}) {
            double[] neumannRef = org.peftarena.kernels.reference.CayleyReference.neumann(p, blocks, b, terms, 1.0);
            float[] neumann = HostTensors.toFloats(CayleyTransform.rotations(packed, b, CayleyVariant.neumannSeries(terms)));
            for (int i = 0; i < neumann.length; i++) {
                assertEquals(neumannRef[i], neumann[i], 2e-6 + 2e-6 * Math.abs(neumannRef[i]), "neumann(" + terms + ") b=" + b + " at " + i);
            }
        }
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exactRef[i], exact[i], 2e-6 + 2e-6 * Math.abs(exactRef[i]), "exact b=" + b + " at " + i);
        }
    }
}
