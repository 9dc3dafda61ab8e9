package org.peftarena.model.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.kernels.CudaProbe;

/**
 * The entries' argument checks and the probe gate, on any machine: every bad argument (a CPU tensor, a wrong
 * dtype, a wrong shape) is refused with a message naming the entry and argument, before and without loading
 * anything of CUDA; without a device the presets' caller is never initialised.
 */
class CudaLinalgTest {
    /** Classes whose static initialisers need an NVIDIA driver, and our only caller of them. */
    private static final List<String> CUDA_CLASSES = List.of("org.peftarena.model.linalg.CudaPresetCalls",
            "org.bytedeco.cuda.global.cusolver", "org.bytedeco.cuda.global.cublas", "org.bytedeco.cuda.global.cudart",
            "org.bytedeco.pytorch.global.torch_cuda", "org.bytedeco.pytorch.cuda.CUDAGuard");

    /** Whether our probe found a device (then other tests of this run may have used the path). */
    private static final boolean DEVICE = CudaProbe.probe().available();

    private static Tensor floats(long... shape) {
        return torch.randn(shape);
    }

    private static Tensor doubles(long... shape) {
        return torch.randn(shape).to(torch.ScalarType.Double);
    }

    static List<Arguments> refusals() {
        return List.of(
            Arguments.of("thinSvd on the CPU", (Runnable) () -> CudaLinalg.thinSvd(floats(4, 3)),
                    "thinSvd: argument 'a' must be a CUDA tensor, got one on cpu"),
            Arguments.of("thinSvd of float64", (Runnable) () -> CudaLinalg.thinSvd(doubles(4, 3)),
                    "thinSvd: argument 'a' must be float32, got Double"),
            Arguments.of("thinSvd of a vector", (Runnable) () -> CudaLinalg.thinSvd(floats(4)),
                    "thinSvd: argument 'a' must be a matrix [m, n], got [4]"),
            Arguments.of("thinSvd of null", (Runnable) () -> CudaLinalg.thinSvd(null),
                    "thinSvd: argument 'a' is null or undefined"),
            Arguments.of("singularValues on the CPU", (Runnable) () -> CudaLinalg.singularValues(floats(2, 3)),
                    "singularValues: argument 'a' must be a CUDA tensor"),
            Arguments.of("singularValues of a batch", (Runnable) () -> CudaLinalg.singularValues(floats(2, 2, 3)),
                    "singularValues: argument 'a' must be a matrix [m, n], got [2, 2, 3]"),
            Arguments.of("batchedSvd of a matrix", (Runnable) () -> CudaLinalg.batchedSvd(floats(2, 3), true),
                    "batchedSvd: argument 'a' must be [batch, m, n], got [2, 3]"),
            Arguments.of("batchedSvd on the CPU", (Runnable) () -> CudaLinalg.batchedSvd(floats(5, 2, 3), true),
                    "batchedSvd: argument 'a' must be a CUDA tensor"),
            Arguments.of("gesvdjBatched above 32", (Runnable) () -> CudaLinalg.gesvdjBatched(floats(2, 33, 3), false),
                    "gesvdjBatched: cusolverDnSgesvdjBatched takes matrices up to 32x32, got 33x3"),
            Arguments.of("gesvdjBatched of float64", (Runnable) () -> CudaLinalg.gesvdjBatched(doubles(2, 3, 3), false),
                    "gesvdjBatched: argument 'a' must be float32"),
            Arguments.of("gesvdjBatched on the CPU", (Runnable) () -> CudaLinalg.gesvdjBatched(floats(2, 3, 3), false),
                    "gesvdjBatched: argument 'a' must be a CUDA tensor"),
            Arguments.of("symmetricEigen of a rectangle", (Runnable) () -> CudaLinalg.symmetricEigen(floats(3, 4)),
                    "symmetricEigen: argument 'a' must be square, got [3, 4]"),
            Arguments.of("symmetricEigen on the CPU", (Runnable) () -> CudaLinalg.symmetricEigen(floats(4, 4)),
                    "symmetricEigen: argument 'a' must be a CUDA tensor"),
            Arguments.of("symmetricEigenBatched above 32", (Runnable) () -> CudaLinalg.symmetricEigenBatched(floats(1, 40, 40)),
                    "symmetricEigenBatched: cusolverDnSsyevjBatched takes matrices up to 32x32, got 40x40"),
            Arguments.of("symmetricEigenBatched of rectangles", (Runnable) () -> CudaLinalg.symmetricEigenBatched(floats(2, 3, 4)),
                    "symmetricEigenBatched: argument 'a' must be square, got [2, 3, 4]"),
            Arguments.of("procrustesResidual of different shapes",
                    (Runnable) () -> CudaLinalg.procrustesResidual(floats(8, 3), floats(8, 4)),
                    "procrustesResidual: x1 and x0 must both be [n, d], got [8, 3] and [8, 4]"),
            Arguments.of("procrustesResidual of float64",
                    (Runnable) () -> CudaLinalg.procrustesResidual(floats(8, 3), doubles(8, 3)),
                    "procrustesResidual: argument 'x0' must be float32, got Double"),
            Arguments.of("procrustesResidual on the CPU",
                    (Runnable) () -> CudaLinalg.procrustesResidual(floats(8, 3), floats(8, 3)),
                    "procrustesResidual: argument 'x1' must be a CUDA tensor"),
            Arguments.of("crossProduct on the CPU", (Runnable) () -> CudaLinalg.crossProduct(floats(8, 3), floats(8, 3)),
                    "crossProduct: argument 'x1' must be a CUDA tensor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badArgumentsAreRefusedWithoutTouchingCuda(String what, Runnable call, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run, what);
        assertTrue(e.getMessage().startsWith(message), "message: " + e.getMessage());
        assertNothingOfCudaLoadedUnless(DEVICE);
    }

    @Test
    void cpuTensorsAreNotHandledAndProbeNothing() {
        assertFalse(CudaLinalg.handles(floats(3, 3)));
        assertFalse(CudaLinalg.handles(doubles(3, 3)));
        assertFalse(CudaLinalg.handles(null));
        assertNothingOfCudaLoadedUnless(DEVICE);
    }

    @Test
    void withoutADeviceThePathIsUnavailableAndSaysWhy() {
        if (!DEVICE) {
            assertFalse(CudaLinalg.available());
            assertEquals(CudaProbe.probe().reason(), CudaLinalg.unavailableReason());
        }
        assertNothingOfCudaLoadedUnless(DEVICE);
    }

    @Test
    void theGateNeedsTheProbeFirstThenThePresets() {
        CudaProbe none = new CudaProbe(true, 0, 0, 13000, "", "no NVIDIA driver found (libcuda.so.1 is missing)");
        CudaProbe one = new CudaProbe(true, 1, 13010, 13000, "H200", "");
        assertEquals("no NVIDIA driver found (libcuda.so.1 is missing)", CudaLinalg.reason(none, true));
        assertEquals("no NVIDIA driver found (libcuda.so.1 is missing)", CudaLinalg.reason(none, false));
        assertTrue(CudaLinalg.reason(one, false).contains("org.bytedeco:cuda presets are not on the classpath"));
        assertEquals("", CudaLinalg.reason(one, true));
    }

    @Test
    void theClassLoadingCheckSeesLoadedClasses() {
        assertTrue(LoadedClasses.loaded("org.peftarena.model.linalg.CudaLinalg"), "a loaded class is seen");
        assertFalse(LoadedClasses.loaded("org.peftarena.model.linalg.NoSuchClass"), "an absent one is not");
    }

    @AfterAll
    static void neverInitialisedWithoutADevice() {
        assertNothingOfCudaLoadedUnless(DEVICE);
    }

    private static void assertNothingOfCudaLoaded() {
        assertFalse(CudaLinalg.presetsTouched(), "CudaPresetCalls was initialised");
        for (String c : CUDA_CLASSES) {
            assertFalse(LoadedClasses.loaded(c), c + " was loaded");
        }
    }

    private static void assertNothingOfCudaLoadedUnless(boolean device) {
        if (!device) {
            assertNothingOfCudaLoaded();
        }
    }
}
