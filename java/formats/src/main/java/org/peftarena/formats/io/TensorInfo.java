package org.peftarena.formats.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header: name, dtype, shape and its byte range relative to
 * the start of the data section.
 *
 * @param name tensor name, e.g. "model.layers.0.self_attn.q_proj.weight"
 * @param dtype element type
 * @param shape dimensions, each non-negative; empty for a scalar
 * @param begin first byte of the data, relative to the data section
 * @param end one past the last byte, relative to the data section
 */
public record TensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

    /** Copies the shape so the record stays immutable. */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** @return a copy of the shape */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return number of dimensions */
    public int rank() {
        return shape.length;
    }

    /** @return number of elements (1 for a scalar); exact, validated not to overflow at parse time */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** @return bytes of data, {@code end - begin} */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
