package org.peftarena.peft;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;

/** Compares tensor shapes before data is copied between them. */
public final class ShapeCheck {
    private ShapeCheck() {}

    /**
     * Requires {@code actual} to have the shape of {@code expected}.
     *
     * @throws AdapterFormatException naming the tensor and both shapes
     */
    public static void require(String name, Tensor expected, Tensor actual) {
        long[] e = expected.sizes().vec().get();
        long[] a = actual.sizes().vec().get();
        if (!Arrays.equals(e, a)) {
            throw new AdapterFormatException("shape mismatch for " + name + ": expected " + Arrays.toString(e)
                    + ", got " + Arrays.toString(a));
        }
    }
}
