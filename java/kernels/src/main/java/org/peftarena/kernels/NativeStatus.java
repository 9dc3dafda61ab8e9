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
        final String msg = PeftArenaNative.pa_last_error().getString();
        // Native messages already start with the function name.
        throw forStatus(KernelStatus.of(code), msg.startsWith(op) ? msg : op + ": " + msg);
    }

    static KernelException forStatus(KernelStatus status, String message) {
        return switch (status) {
            case NULL_POINTER, INVALID_SIZE, BAD_DEVICE_ARGUMENT -> new KernelArgumentException(status, message);
            case NON_FINITE -> new NonFiniteInputException(message);
            case UNAVAILABLE -> new BackendUnavailableException(message);
            default -> new KernelException(status, message);
        };
    }
}
