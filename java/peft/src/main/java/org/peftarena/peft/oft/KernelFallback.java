package org.peftarena.peft.oft;

import java.util.concurrent.atomic.AtomicBoolean;
import org.peftarena.kernels.KernelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports, once per process, that a native kernel refused its input and LibTorch computes instead. */
final class KernelFallback {
    private static final KernelFallback PROCESS = new KernelFallback(LoggerFactory.getLogger(KernelFallback.class));

    private final Logger log;
    private final AtomicBoolean warned = new AtomicBoolean();

    KernelFallback(Logger log) {
        this.log = log;
    }

    /** The process-wide reporter. */
    static KernelFallback process() {
        return PROCESS;
    }

    /**
     * Logs one warning with the kernel's reason the first time any kernel falls back; later calls log nothing.
     *
     * @param where the computation that falls back, e.g. "OFT block rotation"
     * @param reason the kernel's refusal
     * @return whether this call logged
     */
    boolean report(String where, KernelException reason) {
        if (!warned.compareAndSet(false, true)) {
            return false;
        }
        log.warn("{}: the native kernel refused ({}); LibTorch computes it instead, more slowly. Further fallbacks "
                + "in this process are not reported.", where, reason.getMessage());
        return true;
    }

    /** Whether a fallback has been reported. */
    boolean warned() {
        return warned.get();
    }
}
