package org.peftarena.arena;

/** Another arena process holds the work directory. */
public class ArenaBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Creates the exception naming the directory. */
    public ArenaBusyException(String message) {
        super(message);
    }
}
