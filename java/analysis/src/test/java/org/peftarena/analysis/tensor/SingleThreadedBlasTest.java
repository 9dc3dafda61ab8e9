package org.peftarena.analysis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.openblas.presets.openblas_nolapack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peftarena.model.Threads;

/** The OpenBLAS thread count inside and after single-threaded sections. */
class SingleThreadedBlasTest {
    private int before;

    @BeforeEach
    void twoThreads() {
        before = openblas_nolapack.blas_get_num_threads();
        openblas_nolapack.blas_set_num_threads(2);
    }

    @AfterEach
    void restore() {
        openblas_nolapack.blas_set_num_threads(before < 1 ? Threads.defaults().blas() : before);
    }

    @Test
    void runsOnOneThreadAndRestoresTheSetting() {
        int inside = SingleThreadedBlas.run(SingleThreadedBlas::current);
        assertEquals(1, inside);
        assertEquals(2, SingleThreadedBlas.current());
    }

    @Test
    void nestedSectionsRestoreOnlyAtTheOutermostEnd() {
        int afterInner = SingleThreadedBlas.run(() -> {
            SingleThreadedBlas.run(() -> 0);
            return SingleThreadedBlas.current();
        });
        assertEquals(1, afterInner);
        assertEquals(2, SingleThreadedBlas.current());
    }

    @Test
    void anExceptionStillRestoresTheSetting() {
        assertThrows(IllegalStateException.class, () -> SingleThreadedBlas.run(() -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(2, SingleThreadedBlas.current());
    }
}
