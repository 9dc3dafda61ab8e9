package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Backend resolution: AUTO picks what is usable and says so; CUDA without a device is an error. */
class BackendSelectionTest {
    @Test
    void cpuIsAlwaysCpu() {
        final KernelOps ops = KernelOps.create(Backend.CPU);
        assertEquals(Backend.CPU, ops.backend());
        assertEquals(Backend.CPU, ops.svd(new float[] {2f}, 1, 1, 1, false).backendUsed());
    }

    @Test
    void autoResolvesToCudaOnlyWithADevice() {
        final KernelOps ops = KernelOps.create(Backend.AUTO);
        assertEquals(Backend.AUTO, ops.requestedBackend());
        assertEquals(KernelOps.cudaDeviceCount() > 0 ? Backend.CUDA : Backend.CPU, ops.backend());
        // fp64 kernels have no CUDA version: under AUTO they run on the CPU and say so.
        assertEquals(Backend.CPU, ops.svd(new double[] {2.0}, 1, 1, 1, false).backendUsed());
    }

    @Test
    void cudaWithoutDeviceIsAClearError() {
        if (KernelOps.cudaDeviceCount() > 0) {
            final KernelOps ops = KernelOps.create(Backend.CUDA);
            assertThrows(BackendUnavailableException.class, () -> ops.svd(new double[] {1.0}, 1, 1, 1, false));
            return;
        }
        final BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> KernelOps.create(Backend.CUDA));
        assertEquals(KernelStatus.UNAVAILABLE, e.status());
        assertTrue(e.getMessage().contains("no CUDA device"), e.getMessage());
    }

    @Test
    void threadCountCanBeSetAndRestored() {
        final int before = KernelOps.numThreads();
        try {
            KernelOps.setNumThreads(1);
            assertEquals(1, KernelOps.numThreads());
            final float[] r = KernelOps.cpu().cayley(new float[] {0.5f}, 1, 2, CayleyVariant.EXACT, 1f);
            assertEquals(4, r.length);
        } finally {
            KernelOps.setNumThreads(0);
        }
        assertEquals(before, KernelOps.numThreads());
    }
}
