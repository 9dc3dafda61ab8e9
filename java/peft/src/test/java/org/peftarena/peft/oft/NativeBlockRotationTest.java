package org.peftarena.peft.oft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.FunctionPreHook;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.JniPeers;
import org.peftarena.model.TensorKernels;

/**
 * The native block rotation inside autograd against LibTorch's einsum path: values, the gradient of
 * the input, and the gradient that reaches the trainable parameters behind the blocks.
 */
class NativeBlockRotationTest {
    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        double scale = Math.max(1.0, expected.abs().max().item_double());
        double err = expected.sub(actual).abs().max().item_double();
        if (!(err <= tol * scale)) {
            fail(what + ": max abs difference " + err + " (scale " + scale + ")");
        }
    }

    /** A loss with a non-uniform output gradient: {@code sum(w * y)}. */
    private static Tensor loss(Tensor y, Tensor w) {
        return y.mul(w).sum();
    }

    @ParameterizedTest(name = "b={0} blocks={1} rows={2} transposed={3} xGrad={4}")
    @CsvSource({"16,3,37,false,true", "16,3,37,true,true", "8,5,64,false,false", "5,4,9,true,true", "32,2,130,false,true",
            "2,6,4,false,true", "128,1,20,true,true"})
    @SuppressWarnings("try") // the pointer scope is used for its extent
    void valuesAndGradientsMatchLibTorch(int b, int blocks, int rows, boolean transposed, boolean xGrad) {
        try (PointerScope scope = new PointerScope()) { // holds the native path's hooks until backward
            torch.manual_seed(11L * b + rows);
            Tensor packed = torch.randn(blocks, (long) b * (b - 1) / 2).mul(new Scalar(0.2)).requires_grad_(true);
            Tensor x0 = torch.randn(2, rows, (long) blocks * b);
            Tensor w = torch.randn(2, rows, (long) blocks * b);

            Tensor xa = x0.clone().requires_grad_(xGrad);
            Tensor ya = NativeBlockRotation.apply(xa, CayleyTransform.rotations(packed, b, CayleyVariant.NEUMANN_5), transposed);
            assertNotNull(ya, "native path should apply");
            loss(ya, w).backward();
            Tensor gxNative = xGrad ? xa.grad().clone() : null;
            Tensor gpNative = packed.grad().clone();
            packed.grad().zero_();

            Tensor xb = x0.clone().requires_grad_(xGrad);
            Tensor yb = BlockRotation.libtorch(xb, CayleyTransform.rotations(packed, b, CayleyVariant.NEUMANN_5), transposed);
            loss(yb, w).backward();

            assertClose(yb.detach(), ya.detach(), 1e-5, "values");
            assertClose(packed.grad(), gpNative, 1e-4, "gradient of the packed parameters");
            if (xGrad) {
                assertClose(xb.grad(), gxNative, 1e-5, "gradient of x");
            } else {
                assertFalse(xa.grad().defined(), "x needs no gradient and gets none");
            }
        }
    }

    /** Output, input gradient and parameter gradient of an OFT layer, on the native path or LibTorch's. */
    private static Tensor[] oftStep(OftLayer layer, Tensor x0, Tensor w, boolean nativePath, boolean xGrad, int backwards) {
        String before = System.getProperty("peftarena.oft.nativeRotation");
        System.setProperty("peftarena.oft.nativeRotation", Boolean.toString(nativePath));
        try {
            if (layer.packed().grad().defined()) {
                layer.packed().grad().zero_();
            }
            Tensor x = x0.clone().requires_grad_(xGrad);
            Tensor y = null;
            for (int i = 0; i < backwards; i++) {
                y = layer.forward(x);
                loss(y, w).backward();
            }
            return new Tensor[] {y.detach(), xGrad ? x.grad().clone() : null, layer.packed().grad().clone()};
        } finally {
            if (before == null) {
                System.clearProperty("peftarena.oft.nativeRotation");
            } else {
                System.setProperty("peftarena.oft.nativeRotation", before);
            }
        }
    }

    @ParameterizedTest(name = "{0} b={1} xGrad={2} backwards={3}")
    @CsvSource({"NEUMANN,8,true,1", "NEUMANN,16,false,2", "EXACT,8,true,2", "EXACT,4,false,1", "NEUMANN,6,true,1"})
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void oftLayerNativeTrainingMatchesLibTorch(String variant, int b, boolean xGrad, int backwards) {
        try (PointerScope scope = new PointerScope()) { // holds the native path's hooks until backward
            torch.manual_seed(b + backwards);
            org.peftarena.peft.BaseLinear base = new org.peftarena.peft.BaseLinear("model.layers.0.self_attn.q_proj",
                    torch.randn(20, 48), torch.randn(20));
            OftLayer layer = new OftLayer(base, new OftConfig(b, "EXACT".equals(variant) ? CayleyVariant.EXACT : CayleyVariant.NEUMANN_5));
            try (NoGradGuard g = new NoGradGuard()) {
                layer.packed().copy_(torch.randn(layer.packed().sizes().vec().get()).mul(new Scalar(0.15)));
            }
            Tensor x0 = torch.randn(3, 11, 48);
            Tensor w = torch.randn(3, 11, 20);
            assertNotNull(layer.nativeRotation(x0), "the native path applies to float32 CPU inputs");
            Tensor[] nat = oftStep(layer, x0, w, true, xGrad, backwards);
            Tensor[] ref = oftStep(layer, x0, w, false, xGrad, backwards);
            assertClose(ref[0], nat[0], 1e-5, "output");
            assertClose(ref[2], nat[2], 1e-4, "gradient of oft_R (" + backwards + " accumulated backward passes)");
            if (xGrad) {
                assertClose(ref[1], nat[1], 1e-5, "gradient of x");
            }
            assertTrue(nat[2].abs().sum().item_double() > 0, "the parameters get a gradient");
        }
    }

    /** Runs {@code check} with the CUDA path's code ({@link TensorKernels} calls) on the CPU builds of the same kernels. */
    private static void viaTensorKernels(Runnable check) {
        NativeBlockRotation.tensorKernelsOnCpu = true;
        try {
            check.run();
        } finally {
            NativeBlockRotation.tensorKernelsOnCpu = false;
        }
    }

    /**
     * The form CUDA tensors take (our kernels through {@code TensorKernels}: forward into the clone, block cross and
     * transposed rotation in the hook, Cayley and its vector-Jacobian product for OFT) against LibTorch, run here on the
     * CPU builds of the same kernels.
     */
    @ParameterizedTest(name = "via TensorKernels: b={0} blocks={1} rows={2} transposed={3} xGrad={4}")
    @CsvSource({"16,3,37,false,true", "5,4,9,true,true", "8,5,64,false,false", "32,2,130,true,true"})
    void theDeviceFormMatchesLibTorch(int b, int blocks, int rows, boolean transposed, boolean xGrad) {
        viaTensorKernels(() -> valuesAndGradientsMatchLibTorch(b, blocks, rows, transposed, xGrad));
    }

    @ParameterizedTest(name = "via TensorKernels: {0} b={1} xGrad={2} backwards={3}")
    @CsvSource({"NEUMANN,8,true,2", "EXACT,8,true,1", "EXACT,4,false,2", "NEUMANN,6,true,1"})
    void theDeviceFormOfOftTrainingMatchesLibTorch(String variant, int b, boolean xGrad, int backwards) {
        viaTensorKernels(() -> oftLayerNativeTrainingMatchesLibTorch(variant, b, xGrad, backwards));
    }

    @Test
    void theDeviceFormAccumulatesSharedBlocks() {
        viaTensorKernels(this::sharedBlocksAccumulateEveryUse);
    }

    @Test
    @SuppressWarnings("try") // the pointer scope is used for its extent
    void sharedBlocksAccumulateEveryUse() {
        try (PointerScope scope = new PointerScope()) { // holds the native path's hooks until backward
            // BOFT-style: one set of blocks used by two rotations in a row, then an accumulation step
            torch.manual_seed(3);
            int b = 4;
            Tensor packed = torch.randn(3, b * (b - 1) / 2).requires_grad_(true);
            Tensor x0 = torch.randn(7, 3L * b);
            Tensor w = torch.randn(7, 3L * b);

            Tensor r = CayleyTransform.rotations(packed, b, CayleyVariant.EXACT);
            Tensor x = x0.clone().requires_grad_(true);
            Tensor y = BlockRotation.rightMultiply(BlockRotation.rightMultiply(x, r, false), r, true);
            loss(y, w).backward();
            loss(BlockRotation.rightMultiply(x0, CayleyTransform.rotations(packed, b, CayleyVariant.EXACT), false), w).backward();
            Tensor gp = packed.grad().clone();
            Tensor gx = x.grad().clone();

            packed.grad().zero_();
            Tensor r2 = CayleyTransform.rotations(packed, b, CayleyVariant.EXACT);
            Tensor x2 = x0.clone().requires_grad_(true);
            loss(BlockRotation.libtorch(BlockRotation.libtorch(x2, r2, false), r2, true), w).backward();
            loss(BlockRotation.libtorch(x0, CayleyTransform.rotations(packed, b, CayleyVariant.EXACT), false), w).backward();
            assertClose(packed.grad(), gp, 1e-4, "accumulated gradient of the packed parameters");
            assertClose(x2.grad(), gx, 1e-5, "gradient of x through two rotations");
        }
    }

    /**
     * Outside a pointer scope nothing would keep a backward hook reachable until the backward pass (a collection
     * in between made {@code backward()} call a collected object): a pass that needs gradients takes LibTorch's
     * path there, with the same values and gradients, whatever the collector does meanwhile.
     */
    @Test
    void outsideAPointerScopeAGradientPassTakesLibTorchsPathAndSurvivesACollection() {
        torch.manual_seed(41);
        Tensor packed = torch.randn(3, 28).mul(new Scalar(0.1)).requires_grad_(true);
        Tensor x0 = torch.randn(5, 24);
        Tensor w = torch.randn(5, 24);
        Tensor x = x0.clone().requires_grad_(true);
        Tensor r = CayleyTransform.rotations(packed, 8, CayleyVariant.NEUMANN_5);
        assertNull(NativeBlockRotation.apply(x, r, false), "no hooks outside a scope");
        Tensor y = BlockRotation.rightMultiply(x, r, false);
        assertEquals(0L, y.grad_fn().pre_hooks().size(), "LibTorch's path has no Java hooks");
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        loss(y, w).backward();
        Tensor gx = x.grad().clone();
        Tensor gp = packed.grad().clone();
        packed.grad().zero_();
        Tensor x2 = x0.clone().requires_grad_(true);
        loss(BlockRotation.libtorch(x2, CayleyTransform.rotations(packed, 8, CayleyVariant.NEUMANN_5), false), w).backward();
        assertTrue(torch.equal(x2.grad(), gx) && torch.equal(packed.grad(), gp), "LibTorch's gradients");
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void noGradForwardBuildsNoGraph() {
        Tensor packed = torch.randn(2, 6).requires_grad_(true);
        Tensor x = torch.randn(5, 8).requires_grad_(true);
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor y = NativeBlockRotation.apply(x, CayleyTransform.rotations(packed, 4, CayleyVariant.NEUMANN_5), false);
            assertNotNull(y);
            assertFalse(y.requires_grad());
            assertClose(BlockRotation.libtorch(x, CayleyTransform.rotations(packed, 4, CayleyVariant.NEUMANN_5), false), y, 1e-6,
                    "no-grad values");
        }
    }

    @Test
    void fallsBackWhereTheKernelsDoNotApply() {
        Tensor r = torch.eye(4).unsqueeze(0).repeat(2, 1, 1);
        assertNull(NativeBlockRotation.apply(torch.randn(3, 8).to(torch.ScalarType.Double), r.to(torch.ScalarType.Double), false),
                "float64 goes to LibTorch");
        Tensor nan = r.clone();
        nan.fill_(new Scalar(Double.NaN));
        assertNull(NativeBlockRotation.apply(torch.randn(3, 8), nan, false), "non-finite blocks go to LibTorch");
        Tensor viaPublic = BlockRotation.rightMultiply(torch.randn(3, 8), nan, false);
        assertTrue(Double.isNaN(viaPublic.sum().item_double()), "LibTorch propagates the NaN as before");
    }

    @Test
    @SuppressWarnings("try") // the pointer scope is used for its extent
    void anInPlaceChangeOfTheInputBeforeBackwardIsAnError() {
        try (PointerScope scope = new PointerScope()) { // holds the native path's hooks until backward
            Tensor packed = torch.randn(2, 6).requires_grad_(true);
            Tensor x = torch.randn(5, 8);
            Tensor y = NativeBlockRotation.apply(x, CayleyTransform.rotations(packed, 4, CayleyVariant.NEUMANN_5), false);
            x.mul_(new Scalar(2.0));
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> y.sum().backward());
            assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
        }
    }

    /**
     * The gradients of {@code L = |x R_bd|^2} in double precision through LibTorch: {@code dL/dx} and
     * {@code dL/dpacked}, the reference the float32 native path is held to.
     */
    private static Tensor[] squaredNormGradientsInDouble(Tensor packed, Tensor x0, int b) {
        Tensor p = packed.detach().to(torch.ScalarType.Double).requires_grad_(true);
        Tensor x = x0.to(torch.ScalarType.Double).requires_grad_(true);
        BlockRotation.libtorch(x, CayleyTransform.rotations(p, b, CayleyVariant.NEUMANN_5), false).pow(new Scalar(2)).sum()
                .backward();
        return new Tensor[] {x.grad().clone(), p.grad().clone()};
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void manyStepsInScopesStayCorrect() {
        torch.manual_seed(29);
        int b = 8;
        Tensor packed = torch.randn(3, 28).mul(new Scalar(0.1)).requires_grad_(true);
        Tensor x0 = torch.randn(16, 24);
        Tensor[] ref = squaredNormGradientsInDouble(packed, x0, b);
        // dL/dx = 2 x R R^T is not 2 x for the (non-orthogonal) Neumann R: the reference must see that
        assertTrue(ref[0].sub(x0.to(torch.ScalarType.Double).mul(new Scalar(2))).abs().max().item_double() > 1e-3,
                "the check distinguishes R R^T from I");
        Tensor firstGx = null;
        Tensor firstGp = null;
        for (int step = 0; step < 200; step++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor x = x0.clone().requires_grad_(true);
                Tensor blocks = CayleyTransform.rotations(packed, b, CayleyVariant.NEUMANN_5);
                assertNotNull(NativeBlockRotation.apply(x.detach(), blocks.detach(), false), "the native path applies");
                Tensor y = BlockRotation.rightMultiply(x, blocks, false);
                y.pow(new Scalar(2)).sum().backward();
                if (step % 50 == 0) {
                    System.gc();
                }
                // fp32 against the fp64 reference: the forward and backward are each two dot products of
                // length b = 8 over entries of size ~1 (|R - I| ~ 0.3), the series adds 2 products: a few
                // hundred roundings at eps = 6e-8 on a scale of ~5, well under 1e-5 of the scale
                assertClose(ref[0], x.grad().to(torch.ScalarType.Double), 1e-5, "gradient of x at step " + step);
                // dL/dpacked sums 16 rows x (b = 8) products per entry: ~128 roundings more than dL/dx
                assertClose(ref[1], packed.grad().to(torch.ScalarType.Double), 1e-4,
                        "gradient of the packed parameters at step " + step);
                if (firstGx == null) {
                    firstGx = x.grad().clone();
                    firstGp = packed.grad().clone();
                    firstGx.retainReference();
                    firstGp.retainReference();
                } else {
                    // the same inputs every step: nothing freed by a scope may leak into a later result
                    assertTrue(torch.equal(firstGx, x.grad()), "gradient of x changed at step " + step);
                    assertTrue(torch.equal(firstGp, packed.grad()), "gradient of the packed parameters changed at step " + step);
                }
                packed.grad().zero_();
            }
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static long storageUses(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            return t.storage().use_count();
        }
    }

    /**
     * A differentiable rotation allocates exactly one hook (each is a JavaCPP callback object with a C++ peer), and a step in
     * a {@code PointerScope} leaves no reference to the input or the parameters behind.
     */
    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void oneHookPerRotationAndNoTensorOutlivesItsStep() {
        torch.manual_seed(31);
        org.peftarena.peft.BaseLinear base = new org.peftarena.peft.BaseLinear("model.layers.0.mlp.up_proj",
                torch.randn(12, 16), null);
        OftLayer layer = new OftLayer(base, new OftConfig(8, CayleyVariant.NEUMANN_5));
        try (NoGradGuard g = new NoGradGuard()) {
            layer.packed().add_(torch.randn(layer.packed().sizes().vec().get()).mul(new Scalar(0.1)));
        }
        Tensor x0 = torch.randn(4, 16).requires_grad_(true);
        long xUses = storageUses(x0);
        long packedUses = storageUses(layer.packed());
        for (int step = 0; step < 100; step++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor rotated = layer.nativeRotation(x0);
                assertNotNull(rotated, "the native path applies");
                assertEquals(1L, rotated.grad_fn().pre_hooks().size(), "one hook on the rotation's node");
                layer.forward(x0).sum().backward();
            }
            assertEquals(xUses, storageUses(x0), "step " + step + " left a reference to the input");
            assertEquals(packedUses, storageUses(layer.packed()), "step " + step + " left a reference to the parameters");
        }
    }

    /**
     * The C++ peer of each hook holds a JNI weak reference to the Java hook, which the autograd node's destruction
     * of the peer does not delete: released hooks used to leave one handle per OFT module per step in the JVM, so
     * every step's hook got a new one. Deleted when the step's scope ends, the handle is reused by later hooks.
     */
    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void hooksLeaveNoJniReferencesBehind() {
        torch.manual_seed(37);
        Tensor packed = torch.randn(2, 28).mul(new Scalar(0.1)).requires_grad_(true);
        Tensor x = torch.randn(3, 16).requires_grad_(true);
        int steps = 40;
        Set<Long> handles = new HashSet<>();
        for (int step = 0; step < steps; step++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor y = NativeBlockRotation.apply(x, CayleyTransform.rotations(packed, 8, CayleyVariant.NEUMANN_5), step % 2 == 1);
                assertNotNull(y, "the native path applies");
                long reference = JniPeers.referenceField(y.grad_fn().pre_hooks().get(0));
                assertTrue(JniPeers.isWeakReference(reference), "the hook's peer holds a JNI weak reference while its graph lives");
                handles.add(reference);
                y.sum().backward();
            }
        }
        assertTrue(packed.grad().defined() && x.grad().defined(), "the hooks ran");
        assertTrue(handles.size() <= steps / 4, handles.size() + " JNI handles held by the hooks of " + steps
                + " steps: released hooks leave their references behind");
    }

    /** Where the reference sits in JavaCPP's peer of a Java {@code FunctionPreHook}, checked on a hook of its own. */
    @Test
    void theWeakReferenceOfAHookPeerIsFound() {
        try (FunctionPreHook hook = new FunctionPreHook() {
            @Override
            public TensorVector apply(TensorVector grads) {
                return grads;
            }
        }) {
            long reference = JniPeers.weakReference(hook);
            assertTrue(reference != 0 && JniPeers.isWeakReference(reference), "the peer's JNI weak reference to its hook");
            assertEquals(reference, JniPeers.referenceField(hook));
        }
    }
}
