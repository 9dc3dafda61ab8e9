package org.peftarena.analysis.tensor;

import java.util.function.Supplier;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.peftarena.model.Threads;

/**
 * Runs memory-bound BLAS level-2 work (long sequences of matrix-vector products) with one
 * OpenBLAS thread. Each {@code gemv} call is over in about a millisecond, so handing half of it to
 * a second thread costs more than it saves, and on a loaded machine the waiting thread burns CPU
 * time for nothing. The OpenBLAS setting is process-wide: nested and concurrent sections are
 * counted, and the setting in force before the first one is restored when the last one ends.
 */
public final class SingleThreadedBlas {
    private static final Object LOCK = new Object();
    private static int active;
    private static int saved;

    private SingleThreadedBlas() {}

    /**
     * @param work the computation to run
     * @param <T> its result type
     * @return what {@code work} returns
     */
    public static <T> T run(Supplier<T> work) {
        synchronized (LOCK) {
            if (active++ == 0) {
                // the preset reports -1 until a count is set through it: OpenBLAS then runs with its
                // start-up default, which the engine's defaults describe
                saved = openblas_nolapack.blas_get_num_threads();
                if (saved < 1) {
                    saved = Threads.defaults().blas();
                }
                openblas_nolapack.blas_set_num_threads(1);
            }
        }
        try {
            return work.get();
        } finally {
            synchronized (LOCK) {
                if (--active == 0) {
                    openblas_nolapack.blas_set_num_threads(saved);
                }
            }
        }
    }

    /** @return the OpenBLAS thread count last set through the preset, -1 when none was set */
    public static int current() {
        return openblas_nolapack.blas_get_num_threads();
    }
}
