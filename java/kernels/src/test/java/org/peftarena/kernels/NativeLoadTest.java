package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.peftarena.kernels.jni.PeftArenaNative;

class NativeLoadTest {
    @Test
    void libraryLoadsAndReportsVersion() {
        assertEquals("0.1.0", PeftArenaNative.pa_version().getString());
        assertFalse(PeftArenaNative.pa_cpu_path().getString().isEmpty());
    }
}
