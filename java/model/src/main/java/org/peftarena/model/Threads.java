package org.peftarena.model;

import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets LibTorch's intra-op thread pool and OpenBLAS's thread count deliberately, because with
 * both at their defaults each starts one thread per core and the oversubscription makes training
 * 3-4x slower on small machines.
 *
 * <p>Defaults: intra-op threads from {@code OMP_NUM_THREADS} (else 1) and OpenBLAS threads from
 * {@code OPENBLAS_NUM_THREADS} (else the number of available processors); the measured best on
 * two cores is intra-op 1 with OpenBLAS 2, since the decoder's work is dominated by GEMMs.
 */
public final class Threads {
    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);

    /** Environment variable read for the LibTorch intra-op default. */
    public static final String INTRA_OP_ENV = "OMP_NUM_THREADS";
    /** Environment variable read for the OpenBLAS default. */
    public static final String BLAS_ENV = "OPENBLAS_NUM_THREADS";

    private Threads() {
    }

    /** A thread configuration: LibTorch intra-op threads and OpenBLAS threads, both >= 1. */
    public record Settings(int intraOp, int blas) {
        /** Validates both counts. */
        public Settings {
            if (intraOp < 1 || blas < 1) {
                throw new IllegalArgumentException(
                        "thread counts must be >= 1, got intraOp=" + intraOp + " blas=" + blas);
            }
        }

        @Override
        public String toString() {
            return "intra-op " + intraOp + ", OpenBLAS " + blas;
        }
    }

    /** The default settings: environment variables when set, else intra-op 1 and OpenBLAS = cores. */
    public static Settings defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new Settings(envInt(INTRA_OP_ENV, 1), envInt(BLAS_ENV, cores));
    }

    /** Applies {@link #defaults()} and returns what was applied. */
    public static Settings configureDefaults() {
        Settings s = defaults();
        configure(s);
        return s;
    }

    /** Applies the given settings to LibTorch and OpenBLAS (process-wide). */
    public static void configure(Settings settings) {
        torch.set_num_threads(settings.intraOp());
        openblas_nolapack.blas_set_num_threads(settings.blas());
        LOG.debug("threads: {}", settings);
    }

    /** The settings currently in effect, as reported by LibTorch and OpenBLAS. */
    public static Settings current() {
        return new Settings(torch.get_num_threads(), Math.max(1, openblas_nolapack.blas_get_num_threads()));
    }

    private static int envInt(String name, int fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            return n >= 1 ? n : fallback;
        } catch (NumberFormatException e) {
            LOG.warn("ignoring {}={}: not a positive integer", name, v);
            return fallback;
        }
    }
}
