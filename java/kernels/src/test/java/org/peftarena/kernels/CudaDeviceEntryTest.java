package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;
import org.peftarena.kernels.jni.PeftArenaNative;

/**
 * The device-pointer entry points as Java binds them (raw addresses and a stream): null addresses
 * and bad sizes are rejected first; a valid call with host addresses is refused without touching
 * the memory, as "no device" here and as host memory (not device memory) where a device exists.
 */
class CudaDeviceEntryTest {
    private static final float POISON = -7.25f;

    private static FloatPointer filled(int n, float v) {
        FloatPointer p = new FloatPointer(n);
        for (int i = 0; i < n; i++) {
            p.put(i, v);
        }
        return p;
    }

    private static String lastError() {
        return PeftArenaNative.pa_last_error().getString();
    }

    private static int deviceCount() {
        try (IntPointer count = new IntPointer(1)) {
            assertEquals(KernelStatus.OK.code(), PeftArenaNative.pa_cuda_device_count(count));
            return count.get();
        }
    }

    @Test
    void nullAddressesAndBadSizesComeFirst() {
        try (FloatPointer buf = filled(64, POISON)) {
            long a = buf.address();
            assertEquals(KernelStatus.NULL_POINTER.code(), PeftArenaNative.pa_cuda_cayley_f32(0L, 1, 4, 5, 1f, a, null));
            assertEquals(KernelStatus.NULL_POINTER.code(),
                    PeftArenaNative.pa_cuda_block_rotate_f32(a, 2, 8, 8, 0L, 4, 0, a + 128, 8, null));
            assertEquals(KernelStatus.NULL_POINTER.code(),
                    PeftArenaNative.pa_cuda_svd_batched_f32(a, 1, 4, 4, 0L, 0L, 0L, null));
            assertEquals(KernelStatus.INVALID_SIZE.code(),
                    PeftArenaNative.pa_cuda_procrustes_batched_f32(a, a, 1, 8, 129, 0L, a, null));
            assertTrue(lastError().contains("pa_cuda_procrustes_batched_f32"), lastError());
            assertEquals(KernelStatus.NULL_POINTER.code(),
                    PeftArenaNative.pa_cuda_block_cross_f32(a, 2, 8, 8, 0L, 8, 4, a + 128, null));
            assertEquals(KernelStatus.NULL_POINTER.code(),
                    PeftArenaNative.pa_cuda_cayley_vjp_f32(a, 0L, a + 64, 2, 4, 5, 0L, null));
            assertTrue(lastError().contains("pa_cuda_cayley_vjp_f32") && lastError().contains("'dq'"), lastError());
            for (int i = 0; i < 64; i++) {
                assertEquals(POISON, buf.get(i));
            }
        }
    }

    @Test
    void hostAddressesAreRefusedWithAClearReason() {
        boolean compiled = PeftArenaNative.pa_cuda_compiled() != 0;
        int devices = deviceCount();
        try (FloatPointer q = filled(64, 0.1f); FloatPointer r = filled(64, POISON)) {
            int[] statuses = {
                PeftArenaNative.pa_cuda_cayley_f32(q.address(), 2, 4, 5, 1f, r.address(), null),
                PeftArenaNative.pa_cuda_block_rotate_f32(q.address(), 2, 8, 8, q.address() + 64, 4, 0, r.address(), 8, null),
                PeftArenaNative.pa_cuda_svd_batched_f32(q.address(), 1, 4, 4, r.address(), 0L, 0L, null),
                PeftArenaNative.pa_cuda_procrustes_batched_f32(q.address(), q.address(), 1, 8, 4, 0L, r.address(), null),
                PeftArenaNative.pa_cuda_block_cross_f32(q.address(), 2, 8, 8, q.address() + 64, 8, 4, r.address(), null),
                PeftArenaNative.pa_cuda_cayley_vjp_f32(q.address(), 0L, q.address() + 64, 2, 4, 5, r.address(), null),
            };
            KernelStatus expected = compiled && devices > 0 ? KernelStatus.BAD_DEVICE_ARGUMENT : KernelStatus.UNAVAILABLE;
            for (int st : statuses) {
                assertEquals(expected.code(), st, lastError());
            }
            String why = lastError();
            assertTrue(expected == KernelStatus.UNAVAILABLE
                    ? why.contains("no usable CUDA device") || why.contains("without CUDA") || why.contains("no CUDA")
                    : why.contains("host memory"), why);
            for (int i = 0; i < 64; i++) {
                assertEquals(POISON, r.get(i), "output element " + i + " was written");
            }
            KernelException e = NativeStatus.forStatus(KernelStatus.of(statuses[0]), why);
            Class<? extends KernelException> want = expected == KernelStatus.UNAVAILABLE
                    ? BackendUnavailableException.class : KernelArgumentException.class;
            assertTrue(want.isInstance(e), e.getClass().getName());
        }
    }

    @Test
    void badDeviceArgumentIsAnArgumentError() {
        assertEquals(KernelStatus.BAD_DEVICE_ARGUMENT, KernelStatus.of(8));
        assertInstanceOf(KernelArgumentException.class,
                NativeStatus.forStatus(KernelStatus.BAD_DEVICE_ARGUMENT, "pa_cuda_cayley_f32: argument 'q' is host memory"));
    }

    @Test
    void kernelOpsDeviceCallsThrowTheLibrarysRefusal() {
        KernelOps ops = KernelOps.cpu();
        boolean device = PeftArenaNative.pa_cuda_compiled() != 0 && deviceCount() > 0;
        Class<? extends KernelException> hostRefusal = device ? KernelArgumentException.class
                : BackendUnavailableException.class;
        try (FloatPointer q = filled(64, 0.1f); FloatPointer r = filled(64, POISON)) {
            long a = q.address();
            long out = r.address();
            KernelArgumentException nul = org.junit.jupiter.api.Assertions.assertThrows(KernelArgumentException.class,
                    () -> ops.cudaCayley(0L, 1, 4, CayleyVariant.neumannSeries(5), 1f, out, 0L));
            assertTrue(nul.getMessage().contains("pa_cuda_cayley_f32") && nul.getMessage().contains("'q'"), nul.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(KernelArgumentException.class,
                    () -> ops.cudaProcrustes(a, a, 1, 8, 129, 0L, out, 0L), "d above 128");
            KernelException[] refused = {
                org.junit.jupiter.api.Assertions.assertThrows(hostRefusal,
                        () -> ops.cudaCayley(a, 2, 4, CayleyVariant.EXACT, 1f, out, 0L)),
                org.junit.jupiter.api.Assertions.assertThrows(hostRefusal,
                        () -> ops.cudaBlockRotate(a, 2, 8, 8, a + 64, 4, true, out, 8, 0L)),
                org.junit.jupiter.api.Assertions.assertThrows(hostRefusal,
                        () -> ops.cudaSvd(a, 1, 4, 4, out, 0L, 0L, 0L)),
                org.junit.jupiter.api.Assertions.assertThrows(hostRefusal,
                        () -> ops.cudaProcrustes(a, a, 1, 8, 4, 0L, out, 0L)),
                org.junit.jupiter.api.Assertions.assertThrows(hostRefusal,
                        () -> ops.cudaBlockCross(a, 2, 8, 8, a + 64, 8, 4, out, 0L)),
                org.junit.jupiter.api.Assertions.assertThrows(hostRefusal,
                        () -> ops.cudaCayleyVjp(a, 0L, a + 64, 2, 4, CayleyVariant.neumannSeries(5), out, 0L)),
            };
            for (KernelException e : refused) {
                assertTrue(e.getMessage().contains("pa_cuda_"), e.getMessage());
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(POISON, r.get(i), "output element " + i + " was written");
            }
        }
    }
}
