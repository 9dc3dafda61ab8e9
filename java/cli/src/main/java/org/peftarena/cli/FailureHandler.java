package org.peftarena.cli;

import org.peftarena.formats.io.OutputDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception thrown by a command into one clear error line and exit code 1. */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        if (ex instanceof CommandLine.ParameterException pe) {
            cmd.getErr().println("error: " + pe.getMessage());
            return Main.EXIT_USAGE;
        }
        if (ex instanceof OutputDirectoryException) {
            cmd.getErr().println("error: " + ex.getMessage());
            return Main.EXIT_USAGE;
        }
        cmd.getErr().println("error: " + message(ex));
        if (System.getenv("PEFT_ARENA_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println("(set PEFT_ARENA_DEBUG=1 for the stack trace)");
        }
        return Main.EXIT_FAILURE;
    }

    /**
     * The user-facing text of a failure: LibTorch's C++ messages carry a native stack trace
     * ("Exception raised from ... frame #0: ...") that is cut off and folded into one line.
     */
    static String message(Throwable ex) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        int trace = nativeTraceStart(message);
        if (trace < 0) {
            return message;
        }
        String head = message.substring(0, trace).strip().replaceAll("\\s*\\R\\s*", " ");
        return "LibTorch failed: " + (head.isEmpty() ? ex.getClass().getSimpleName() : head);
    }

    private static int nativeTraceStart(String message) {
        int best = -1;
        for (String marker : new String[] {"Exception raised from", "frame #0", "(most recent call first)"}) {
            int i = message.indexOf(marker);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }
}
