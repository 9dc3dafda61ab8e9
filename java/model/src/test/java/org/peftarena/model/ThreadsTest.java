package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void configureSetsBothPoolsAndDefaultsFollowTheEnvironment() {
        Threads.Settings original = Threads.current();
        try {
            Threads.configure(new Threads.Settings(2, 1));
            assertEquals(new Threads.Settings(2, 1), Threads.current());
            Threads.configure(new Threads.Settings(1, 2));
            assertEquals(new Threads.Settings(1, 2), Threads.current());
        } finally {
            Threads.configure(original);
        }
        // surefire sets OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=2 for the test JVM
        String omp = System.getenv(Threads.INTRA_OP_ENV);
        if (omp != null) {
            assertEquals(Integer.parseInt(omp), Threads.defaults().intraOp());
        }
        assertThrows(IllegalArgumentException.class, () -> new Threads.Settings(0, 1));
    }
}
