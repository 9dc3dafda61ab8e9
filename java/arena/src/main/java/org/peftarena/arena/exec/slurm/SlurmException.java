package org.peftarena.arena.exec.slurm;

import java.io.IOException;

/** A Slurm command is missing or failed; the message says which and what it printed. */
public final class SlurmException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public SlurmException(String message) {
        super(message);
    }
}
