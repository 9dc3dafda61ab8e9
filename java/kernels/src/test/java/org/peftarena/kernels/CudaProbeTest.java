package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.peftarena.kernels.jni.PeftArenaNative;

class CudaProbeTest {
    @Test
    void probeAgreesWithTheLibraryAndExplainsAnAbsentDevice() {
        CudaProbe p = CudaProbe.probe();
        assertEquals(PeftArenaNative.pa_cuda_compiled() != 0, p.compiled());
        assertEquals(p.devices() > 0 && p.compiled(), p.available());
        if (!p.available()) {
            assertFalse(p.reason().isBlank());
            assertEquals(0, p.devices());
        }
        if (p.compiled()) {
            assertTrue(p.runtimeVersion() >= 11000, "runtime linked into the library: " + p.runtimeVersion());
        } else {
            assertEquals(0, p.runtimeVersion());
        }
        // probing twice is harmless (the library clears its sticky CUDA error)
        assertEquals(p, CudaProbe.probe());
    }

    @Test
    void reasonsNameTheMissingPiece() {
        assertTrue(CudaProbe.reasonFor(false, 0, 0, "").contains("built without CUDA"));
        assertTrue(CudaProbe.reasonFor(true, 0, 0, "cudaGetDeviceCount: insufficient driver (35)").contains("no NVIDIA driver"));
        assertTrue(CudaProbe.reasonFor(true, 0, 0, "cudaGetDeviceCount: insufficient driver (35)").contains("(35)"));
        assertTrue(CudaProbe.reasonFor(true, 0, 13000, "").contains("no CUDA device visible (driver 13.0)"));
        assertEquals("", CudaProbe.reasonFor(true, 2, 13000, ""));
        assertEquals("13.1", CudaProbe.version(13010));
        assertEquals("none", CudaProbe.version(0));
    }
}
