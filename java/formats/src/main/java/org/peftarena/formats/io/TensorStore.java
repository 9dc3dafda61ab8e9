package org.peftarena.formats.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/** Read access to named tensors of a safetensors file or a sharded checkpoint. */
public interface TensorStore extends AutoCloseable {

    /** @return where the tensors come from (file or directory), for messages */
    String source();

    /** @return {@code __metadata__} entries (for a sharded checkpoint: those of the index "metadata" object) */
    Map<String, String> metadata();

    /** @return all tensor names, sorted */
    SortedSet<String> names();

    /**
     * @param name tensor name
     * @return its header entry, or empty when absent
     */
    Optional<TensorInfo> find(String name);

    /**
     * @param name tensor name
     * @return its header entry
     * @throws MissingTensorException when absent
     */
    default TensorInfo info(String name) {
        return find(name).orElseThrow(() -> new MissingTensorException(source(), name));
    }

    /**
     * @param name tensor name
     * @return whether the tensor exists
     */
    default boolean contains(String name) {
        return find(name).isPresent();
    }

    /**
     * Zero-copy view of a tensor's raw little-endian bytes in the memory-mapped file.
     *
     * @param name tensor name
     * @return a read-only direct buffer, position 0, limit = byte size, little-endian; it keeps the mapping alive
     * @throws MissingTensorException when absent
     * @throws UnsupportedOperationException when the tensor is larger than one mapping (use {@link #readInto})
     */
    ByteBuffer buffer(String name);

    /**
     * Copies a tensor's raw little-endian bytes into {@code dst} at its position, advancing it.
     *
     * @param name tensor name
     * @param dst destination with at least {@code info(name).byteSize()} bytes remaining
     * @throws IOException when reading fails
     */
    void readInto(String name, ByteBuffer dst) throws IOException;

    /**
     * @param name tensor name
     * @return a copy of the raw little-endian bytes
     * @throws IOException when reading fails
     */
    byte[] readBytes(String name) throws IOException;

    /**
     * Reads a floating-point tensor (F32, F16, BF16 or F64) converted to f32, row-major.
     *
     * @param name tensor name
     * @return values, length = numel
     * @throws IOException when reading fails
     * @throws IllegalArgumentException when the dtype is not floating point or numel exceeds an array
     */
    float[] readFloats(String name) throws IOException;

    /** Releases file handles; buffers handed out stay valid until they become unreachable. */
    @Override
    void close() throws IOException;
}
