package org.peftarena.kernels;

/**
 * Java-side checks for array arguments: the native code cannot see array lengths, so every
 * array must be non-null and long enough for the shape before its data goes native.
 */
final class ArrayArgs {
    private ArrayArgs() {}

    static void requireNonNull(Object array, String name) {
        if (array == null) {
            throw new KernelArgumentException(KernelStatus.NULL_POINTER, "argument '" + name + "' is null");
        }
    }

    /**
     * Checks that an array holds at least the elements the shape needs. Shapes with a negative
     * size are left to the native validation, which rejects them before touching memory.
     */
    static void requireLength(int length, String name, long... dims) {
        long need = 1;
        for (long d : dims) {
            if (d < 0) {
                return;
            }
            try {
                need = Math.multiplyExact(need, d);
            } catch (ArithmeticException e) {
                throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "shape of '" + name + "' overflows a long");
            }
        }
        if (length < need) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE,
                    "array '" + name + "' has " + length + " elements but the shape needs " + need);
        }
    }

    /** Elements a strided [rows, n] matrix spans: (rows - 1) * stride + n (0 when rows is 0). */
    static long stridedSpan(long rows, long n, long stride) {
        if (rows <= 0 || n < 0 || stride < 0) {
            return 0;
        }
        try {
            return Math.addExact(Math.multiplyExact(rows - 1, stride), n);
        } catch (ArithmeticException e) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "rows * stride overflows a long");
        }
    }

    /** Number of packed generator entries per block, b (b - 1) / 2 (0 for b &lt; 2). */
    static long packedSize(int b) {
        return b < 2 ? 0 : (long) b * (b - 1) / 2;
    }
}
