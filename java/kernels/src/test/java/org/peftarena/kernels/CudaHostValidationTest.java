package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.jni.PeftArenaNative;

/** The CUDA host entry points reject bad arguments before touching a device, and fail cleanly without one. */
class CudaHostValidationTest {
    private static final int OK = 0;
    private static final int ERR_NULL = 1;
    private static final int ERR_SIZE = 2;
    private static final int ERR_UNAVAILABLE = 6;
    private static final float POISON = -7.25f;

    private static FloatPointer filled(int n, float v) {
        FloatPointer p = new FloatPointer(n);
        for (int i = 0; i < n; i++) {
            p.put(i, v);
        }
        return p;
    }

    private static void assertUntouched(FloatPointer p, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(POISON, p.get(i), "output element " + i + " was written");
        }
    }

    private static String lastError() {
        return PeftArenaNative.pa_last_error().getString();
    }

    @Test
    void badArgumentsReturnTheirStatusAndLeaveOutputsAlone() {
        org.junit.jupiter.api.Assumptions.assumeTrue(PeftArenaNative.pa_cuda_compiled() != 0,
                "library built without nvcc: the CUDA entry points are stand-ins (covered by cpuOnlyBuildReportsUnavailable)");
        FloatPointer in = filled(4096, 0.25f);
        FloatPointer out = filled(4096, POISON);
        assertEquals(ERR_NULL, PeftArenaNative.pa_cuda_host_cayley_f32(null, 1, 4, 5, 1.0f, out));
        assertTrue(lastError().contains("'q'"), lastError());
        assertEquals(ERR_SIZE, PeftArenaNative.pa_cuda_host_cayley_f32(in, 1, 129, 5, 1.0f, out));
        assertEquals(ERR_SIZE, PeftArenaNative.pa_cuda_host_block_rotate_f32(in, 2, 10, 10, in, 4, 0, out, 10));
        assertTrue(lastError().contains("does not divide"), lastError());
        assertEquals(ERR_SIZE, PeftArenaNative.pa_cuda_host_svd_batched_f32(in, 1, 0, 4, out, null, null));
        assertEquals(ERR_SIZE, PeftArenaNative.pa_cuda_host_procrustes_batched_f32(in, in, 1, 8, 129, null, out));
        assertUntouched(out, 4096);
    }

    @Test
    void cpuOnlyBuildReportsUnavailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(PeftArenaNative.pa_cuda_compiled() == 0,
                "library built with CUDA: covered by badArgumentsReturnTheirStatusAndLeaveOutputsAlone");
        FloatPointer in = filled(16, 0.25f);
        FloatPointer out = filled(16, POISON);
        assertEquals(ERR_UNAVAILABLE, PeftArenaNative.pa_cuda_host_cayley_f32(in, 1, 4, 5, 1.0f, out));
        assertTrue(lastError().contains("without CUDA") || lastError().contains("no CUDA"), lastError());
        assertUntouched(out, 16);
    }

    @Test
    void validCallsRunOnADeviceOrReportItsAbsence() {
        IntPointer count = new IntPointer(1);
        assertEquals(OK, PeftArenaNative.pa_cuda_device_count(count));
        FloatPointer q = filled(6, 0.1f);
        FloatPointer r = filled(16, POISON);
        int status = PeftArenaNative.pa_cuda_host_cayley_f32(q, 1, 4, 5, 1.0f, r);
        if (count.get() > 0) {
            assertEquals(OK, status, lastError());
            assertEquals(1.0f, r.get(0), 0.1f, "R is near the identity for a small generator");
        } else {
            assertEquals(ERR_UNAVAILABLE, status, lastError());
            assertFalse(lastError().isEmpty());
            assertUntouched(r, 16);
        }
    }
}
