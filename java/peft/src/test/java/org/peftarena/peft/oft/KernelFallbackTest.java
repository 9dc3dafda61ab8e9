package org.peftarena.peft.oft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;
import org.peftarena.kernels.KernelException;
import org.peftarena.kernels.KernelStatus;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

/** A native kernel that refuses its input makes LibTorch compute instead, and says so once per process. */
class KernelFallbackTest {
    @Test
    void warnsOnceWithTheReason() {
        Queue<SubstituteLoggingEvent> events = new ArrayDeque<>();
        KernelFallback fallback = new KernelFallback(new SubstituteLogger("test", events, false));
        assertTrue(fallback.report("exact Cayley transform", new KernelException(KernelStatus.NON_FINITE, "input holds NaN at block 3")));
        assertFalse(fallback.report("OFT block rotation", new KernelException(KernelStatus.NON_FINITE, "another reason")));
        assertFalse(fallback.report("exact Cayley transform", new KernelException(KernelStatus.NON_FINITE, "input holds NaN at block 3")));
        assertEquals(1, events.size(), "one warning");
        SubstituteLoggingEvent e = events.peek();
        assertEquals(Level.WARN, e.getLevel());
        String args = Arrays.toString(e.getArgumentArray());
        assertTrue(args.contains("exact Cayley transform") && args.contains("input holds NaN at block 3"), args);
    }

    @Test
    void aRefusedExactCayleyFallsBackAndIsReported() {
        float[] v = new float[2 * 3 * 3];
        v[1] = Float.NaN;
        Tensor q = HostTensors.floats(v, 2, 3, 3);
        assertNull(CayleyTransform.kernelExact(q), "the kernel refuses non-finite entries");
        assertTrue(KernelFallback.process().warned());
        assertFalse(KernelFallback.process().report("again", new KernelException(KernelStatus.NON_FINITE, "x")), "reported once per process");
    }
}
