/** The JavaCPP binding of the native library's C ABI ({@code peft_arena.h}); use {@code KernelOps} of the kernels package instead. */
package org.peftarena.kernels.jni;
