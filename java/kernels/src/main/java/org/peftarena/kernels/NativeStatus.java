package org.peftarena.kernels;

import org.peftarena.kernels.jni.PeftArenaNative;

/** Turns C ABI status codes into typed exceptions carrying the native error message. */
final class NativeStatus {
    private NativeStatus() {}

    /** Throws the exception matching a non-zero status; the message comes from {@code pa_last_error()}. */
    static void check(int code, String op) {
        if (code == KernelStatus.OK.code()) {
            return;
        }
        throw forStatus(KernelStatus.of(code), op + ": " + PeftArenaNative.pa_last_error().getString());
    }

    static KernelException forStatus(KernelStatus status, String message) {
        return switch (status) {
            case NULL_POINTER, INVALID_SIZE -> new KernelArgumentException(status, message);
            case NON_FINITE -> new NonFiniteInputException(message);
            case UNAVAILABLE -> new BackendUnavailableException(message);
            default -> new KernelException(status, message);
        };
    }
}
