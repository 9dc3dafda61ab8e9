/** The JavaCPP binding of the native library's C ABI ({@code peft_arena.h}); use {@link org.peftarena.kernels.KernelOps} instead. */
package org.peftarena.kernels.jni;
