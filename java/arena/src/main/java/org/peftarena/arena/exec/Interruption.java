package org.peftarena.arena.exec;

/**
 * How a coordinator learns that its user asked it to stop (Ctrl-C) and what to do with work that
 * runs elsewhere: cancel it or leave it running. The front end implements it (a prompt, or a flag
 * for scripts); the library only asks.
 */
public interface Interruption {
    /** Never interrupted. */
    Interruption NEVER = new Interruption() {
        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public boolean cancelRemoteWork() {
            return false;
        }
    };

    /** Whether a stop was requested. */
    boolean requested();

    /** Asked once after a stop was requested: true cancels the submitted work, false leaves it running. */
    boolean cancelRemoteWork();
}
