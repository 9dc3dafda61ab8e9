package org.peftarena.cli;

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
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println("error: " + message);
        if (System.getenv("PEFT_ARENA_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println("(set PEFT_ARENA_DEBUG=1 for the stack trace)");
        }
        return Main.EXIT_FAILURE;
    }
}
