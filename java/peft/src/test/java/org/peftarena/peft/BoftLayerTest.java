package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.boft.BoftConfig;
import org.peftarena.peft.boft.BoftLayer;
import org.peftarena.peft.boft.ButterflyPermutation;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.peft.oft.OftLayer;
import org.peftarena.peft.oft.OftTestAccess;

/** BOFT's butterfly structure, rotation and conventions, against HF PEFT's construction written out by hand. */
class BoftLayerTest {
    private static BaseLinear linear(long out, long in, boolean bias, long seed) {
        torch.manual_seed(seed);
        Tensor w = torch.randn(out, in).mul(new Scalar(1.0 / Math.sqrt((double) in)));
        return new BaseLinear("model.layers.0.mlp.up_proj", w, bias ? torch.randn(out).mul(new Scalar(0.1)) : null);
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static void randomise(Tensor t, double mean, double std) {
        try (NoGradGuard g = new NoGradGuard()) {
            t.copy_(torch.randn(t.sizes().vec().get()).mul(new Scalar(std)).add(new Scalar(mean)));
        }
    }

    private static long[] seq(long... v) {
        return v;
    }

    @Test
    void butterflyPermutationsMatchHfConstructionForSmallCases() {
        long[] id8 = seq(0, 1, 2, 3, 4, 5, 6, 7);
        // n=8, b=2, m=2: factor 1 = block_butterfly_perm(8, 2, 1, 1): chunks of 4, pieces of 1, order 0,2,1,3
        long[][] p = ButterflyPermutation.factors(8, 2, 2);
        assertArrayEquals(id8, p[0]);
        assertArrayEquals(seq(0, 2, 1, 3, 4, 6, 5, 7), p[1]);
        // n=8, b=2, m=3: factor 2 = block_butterfly_perm(8, 1, 1, 2): one chunk of 8, evens then odds
        p = ButterflyPermutation.factors(8, 2, 3);
        assertArrayEquals(id8, p[0]);
        assertArrayEquals(seq(0, 2, 1, 3, 4, 6, 5, 7), p[1]);
        assertArrayEquals(seq(0, 2, 4, 6, 1, 3, 5, 7), p[2]);
        // n=8, b=4, m=2: one chunk of 8 in pieces of 2: pieces 0,2,1,3
        p = ButterflyPermutation.factors(8, 4, 2);
        assertArrayEquals(id8, p[0]);
        assertArrayEquals(seq(0, 1, 4, 5, 2, 3, 6, 7), p[1]);
        // n=16, b=4, m=3
        p = ButterflyPermutation.factors(16, 4, 3);
        assertArrayEquals(seq(0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15), p[1]);
        assertArrayEquals(seq(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15), p[2]);
        // one factor: the identity, whatever the block size
        assertArrayEquals(seq(0, 1, 2, 3, 4, 5), ButterflyPermutation.factors(6, 3, 1)[0]);
        assertArrayEquals(seq(0, 2, 4, 1, 3, 5), ButterflyPermutation.inverse(seq(0, 3, 1, 4, 2, 5)));
        assertThrows(PeftException.class, () -> ButterflyPermutation.blockButterfly(8, 4, 2, 1));
    }

    /** {@code P BD P^T} with {@code P[r, perm[r]] = 1} (HF's perm2mat), dense. */
    private static Tensor denseFactor(Tensor blocks, long[] perm) {
        int n = perm.length;
        int b = (int) blocks.size(1);
        Tensor bd = torch.zeros(n, n);
        for (int k = 0; k < blocks.size(0); k++) {
            bd.narrow(0, (long) k * b, b).narrow(1, (long) k * b, b).copy_(blocks.select(0, k));
        }
        Tensor pm = torch.eye(n).index_select(0, HostTensors.longs(perm, n));
        return pm.mm(bd).mm(pm.t());
    }

    @Test
    void forwardAndMergeFollowHfDenseFormulaAndTheRotationIsOrthogonal() {
        BaseLinear base = linear(8, 16, true, 3);
        BoftLayer layer = new BoftLayer(base, new BoftConfig(2, 3));
        assertArrayEquals(seq(3, 8, 2, 2), layer.generators().sizes().vec().get());
        assertArrayEquals(seq(8, 1), layer.scale().sizes().vec().get());
        randomise(layer.generators(), 0, 0.4);
        randomise(layer.scale(), 1, 0.2);
        Tensor rotations = layer.blockRotations().detach();
        long[][] perms = ButterflyPermutation.factors(16, 2, 3);
        Tensor expected = torch.eye(16);
        for (int i = 0; i < 3; i++) {
            expected = denseFactor(rotations.select(0, i), perms[i]).mm(expected); // B_i @ (B_(i-1) ... B_0)
        }
        Tensor r = layer.totalRotation().detach();
        assertClose(expected, r, 1e-5, "total rotation = B_2 B_1 B_0");
        assertClose(torch.eye(16), r.mm(r.t()), 1e-5, "R R^T");
        assertClose(torch.eye(16), r.t().mm(r), 1e-5, "R^T R");
        assertTrue(maxAbs(r.sub(torch.eye(16))) > 0.1, "rotation is not trivial");

        Tensor x = torch.randn(2, 3, 16);
        Tensor merged = base.weight().mm(r.t()).mul(layer.scale().detach()); // diag(s) W0 R^T
        Tensor y = torch.linear(x, merged, base.bias());
        assertClose(y, layer.forward(x), 1e-5, "forward = x (diag(s) W0 R^T)^T + b");
        Tensor w0 = base.weight().clone();
        layer.merge();
        assertClose(merged, base.weight(), 1e-5, "merged weight");
        layer.unmerge();
        assertClose(w0, base.weight(), 1e-5, "unmerged weight");
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void oneFactorEqualsBlockDiagonalOftWithExactCayleyOnTheSameGenerator() {
        int b = 4;
        BaseLinear boftBase = linear(8, 16, true, 5);
        BaseLinear oftBase = new BaseLinear(boftBase.path(), boftBase.weight().clone(), boftBase.bias().clone());
        BoftLayer boft = new BoftLayer(boftBase, new BoftConfig(b, 1));
        OftLayer oft = new OftLayer(oftBase, new OftConfig(b, CayleyVariant.EXACT));
        randomise(boft.generators(), 0, 0.5);
        // OFT's Q = Mq - Mq^T from the strict upper triangle; BOFT's S = (G - G^T)/2: equal when packed = (G_ij - G_ji)/2
        float[] g = HostTensors.toFloats(boft.generators().detach().contiguous());
        int blocks = 16 / b;
        float[] packed = new float[blocks * b * (b - 1) / 2];
        int k = 0;
        for (int n = 0; n < blocks; n++) {
            for (int i = 0; i < b; i++) {
                for (int j = i + 1; j < b; j++) {
                    packed[k++] = 0.5f * (g[(n * b + i) * b + j] - g[(n * b + j) * b + i]);
                }
            }
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            oft.packed().copy_(HostTensors.floats(packed, blocks, (long) b * (b - 1) / 2));
        }
        Tensor boftRot = boft.blockRotations().select(0, 0);
        assertClose(oft.rotations(), boftRot, 1e-6, "block rotations");
        assertTrue(maxAbs(boftRot.sub(boftRot.transpose(1, 2))) > 0.1, "rotations are not symmetric, so a transpose would show");
        Tensor x = torch.randn(5, 16);
        assertClose(oft.forward(x), boft.forward(x), 1e-5, "forward");
        boft.merge();
        oft.merge();
        assertClose(oftBase.weight(), boftBase.weight(), 1e-5, "merged weights");
    }

    /**
     * Inside a {@code PointerScope} (as the trainers run a step) the butterfly factors take the native block rotation and
     * the Cayley transform the kernels' vector-Jacobian product; the gradients of the input, the generators and the scale
     * equal those of LibTorch's path (outside a scope), on the host kernels and on the code path of CUDA tensors.
     */
    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void gradientsOnTheKernelsEqualLibTorchsPath() {
        for (boolean tensorKernels : new boolean[] {false, true}) {
            BoftLayer layer = new BoftLayer(linear(12, 16, true, 9), new BoftConfig(4, 2));
            randomise(layer.generators(), 0, 0.3);
            randomise(layer.scale(), 1, 0.1);
            Tensor x = torch.randn(3, 5, 16);
            Tensor[] reference = gradients(layer, x);
            OftTestAccess.tensorKernelsOnCpu(tensorKernels);
            try (PointerScope scope = new PointerScope()) {
                Tensor[] kernels = gradients(layer, x);
                String[] names = {"output", "input", "generators", "scale"};
                for (int i = 0; i < names.length; i++) {
                    assertTrue(maxAbs(reference[i]) > 1e-3, names[i] + " must not vanish");
                    assertClose(reference[i], kernels[i], 2e-5, names[i] + (tensorKernels ? " (device form)" : ""));
                }
            } finally {
                OftTestAccess.tensorKernelsOnCpu(false);
            }
        }
    }

    /** Output, then the gradients of input, generators and scale of {@code sum(forward(x) * weights)}. */
    private static Tensor[] gradients(BoftLayer layer, Tensor x) {
        layer.generators().mutable_grad().put(new Tensor());
        layer.scale().mutable_grad().put(new Tensor());
        Tensor xin = x.clone().requires_grad_(true);
        Tensor y = layer.forward(xin);
        torch.manual_seed(3);
        y.mul(torch.randn(y.sizes().vec().get())).sum().backward();
        return new Tensor[] {y.detach().clone(), xin.grad().clone(), layer.generators().grad().clone(), layer.scale().grad().clone()};
    }

    @Test
    void layersTheButterflyDoesNotFitAreAClearError() {
        PeftException e = assertThrows(PeftException.class, () -> new BoftLayer(linear(8, 24, false, 1), new BoftConfig(4, 3)));
        assertTrue(e.getMessage().contains("24") && e.getMessage().contains("16"), e.getMessage());
        assertThrows(PeftException.class, () -> new BoftConfig(3, 2));
        assertThrows(PeftException.class, () -> new BoftConfig(4, 0));
        assertThrows(PeftException.class, () -> new BoftConfig(4, 64));
        assertEquals(new BoftConfig(8, 2), new BoftConfig(4, 2).withSize(8), "the size knob keeps the factor count");
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        TorchAsserts.assertClose(expected, actual, tol, tol, what);
    }

    private static double maxAbs(Tensor t) {
        return TorchAsserts.maxAbs(t);
    }
}
