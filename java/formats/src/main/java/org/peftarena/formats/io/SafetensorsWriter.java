package org.peftarena.formats.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects named tensors and writes them as a safetensors file (atomically) or as a model
 * directory sharded by size. Data is laid out as the reference implementation lays it out (by
 * dtype, widest first, then by name), so every tensor is aligned to its element size and the
 * bytes are deterministic and identical to the reference writer's for the same tensors.
 */
public final class SafetensorsWriter {

    /** The reference writer's dtype order (its enum order, reversed): widest types first. */
    private static final List<SafetensorsDtype> LAYOUT_ORDER = List.of(SafetensorsDtype.I64, SafetensorsDtype.F64,
            SafetensorsDtype.F32, SafetensorsDtype.I32, SafetensorsDtype.BF16, SafetensorsDtype.F16,
            SafetensorsDtype.I16, SafetensorsDtype.I8, SafetensorsDtype.U8, SafetensorsDtype.BOOL);

    private final Map<String, TensorPayload> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /**
     * @param key metadata key (not "__metadata__"-nested: a flat string map)
     * @param value metadata value
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * @param entries metadata entries to add
     * @return this writer
     */
    public SafetensorsWriter metadata(Map<String, String> entries) {
        metadata.putAll(entries);
        return this;
    }

    /**
     * Adds raw little-endian bytes; the array is read at write time, so it must not change before then.
     *
     * @param name tensor name
     * @param dtype element type
     * @param shape dimensions
     * @param data numel * itemSize bytes, little-endian
     * @return this writer
     */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, byte[] data) {
        return add(name, dtype, shape, ByteBuffer.wrap(data));
    }

    /**
     * Adds raw little-endian bytes from position to limit of {@code data}; the buffer's content is read at
     * write time (a direct buffer over native tensor memory works without a copy).
     *
     * @param name tensor name
     * @param dtype element type
     * @param shape dimensions
     * @param data numel * itemSize bytes remaining, little-endian
     * @return this writer
     */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, ByteBuffer data) {
        return put(TensorPayload.ofBuffer(checkName(name), dtype, shape, data));
    }

    /**
     * Adds f32 values stored as F32.
     *
     * @param name tensor name
     * @param shape dimensions
     * @param values row-major values, length = numel
     * @return this writer
     */
    public SafetensorsWriter addFloats(String name, long[] shape, float[] values) {
        return addFloats(name, SafetensorsDtype.F32, shape, values);
    }

    /**
     * Adds f32 values encoded as {@code dtype} (F32, F64, F16 or BF16; rounding to nearest even).
     *
     * @param name tensor name
     * @param dtype floating-point storage type
     * @param shape dimensions
     * @param values row-major values, length = numel; read at write time
     * @return this writer
     */
    public SafetensorsWriter addFloats(String name, SafetensorsDtype dtype, long[] shape, float[] values) {
        return put(TensorPayload.ofFloats(checkName(name), dtype, shape, values));
    }

    /** @return number of tensors added */
    public int size() {
        return tensors.size();
    }

    private SafetensorsWriter put(TensorPayload p) {
        if (tensors.containsKey(p.name)) {
            throw new IllegalArgumentException("tensor \"" + p.name + "\" added twice");
        }
        tensors.put(p.name, p);
        return this;
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name is empty");
        }
        if (name.equals(SafetensorsHeaderParser.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name \"" + name + "\" is reserved");
        }
        return name;
    }

    /**
     * Writes one file atomically (temporary file in the same directory, fsync, rename).
     *
     * @param file target path
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        writeFile(file, metadata, tensors.values());
    }

    /**
     * Writes {@code model.safetensors}, or, when the tensors exceed {@code maxShardBytes},
     * {@code model-0000i-of-0000n.safetensors} shards plus {@code model.safetensors.index.json}.
     *
     * @param dir model directory (created if needed)
     * @param maxShardBytes largest data size per shard; a single larger tensor gets a shard of its own
     * @return the files written, index last
     * @throws IOException when writing fails
     */
    public List<Path> writeModelDir(Path dir, long maxShardBytes) throws IOException {
        return ShardedCheckpointWriter.write(dir, "model", metadata, List.copyOf(tensors.values()), maxShardBytes);
    }

    static void writeFile(Path file, Map<String, String> metadata, Collection<TensorPayload> payloads)
            throws IOException {
        List<TensorPayload> ordered = dataOrder(payloads);
        byte[] header = encodeHeader(metadata, ordered);
        AtomicFiles.write(file, ch -> {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeAll(ch, prefix);
            writeAll(ch, ByteBuffer.wrap(header));
            for (TensorPayload p : ordered) {
                long before = ch.position();
                p.writeTo(ch);
                if (ch.position() - before != p.byteSize) {
                    throw new IOException("tensor \"" + p.name + "\" wrote " + (ch.position() - before)
                            + " bytes, expected " + p.byteSize);
                }
            }
        });
    }

    private static void writeAll(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static List<TensorPayload> dataOrder(Collection<TensorPayload> payloads) {
        List<TensorPayload> ordered = new ArrayList<>(payloads);
        ordered.sort(Comparator.comparingInt((TensorPayload p) -> LAYOUT_ORDER.indexOf(p.dtype))
                .thenComparing(p -> p.name));
        return ordered;
    }

    /** Compact JSON, metadata first, padded with spaces to a multiple of 8 bytes as the reference writer does. */
    static byte[] encodeHeader(Map<String, String> metadata, List<TensorPayload> ordered) {
        ObjectNode root = SafetensorsHeaderParser.STRICT_JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeaderParser.METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (TensorPayload p : ordered) {
            ObjectNode e = root.putObject(p.name);
            e.put("dtype", p.dtype.name());
            ArrayNode shape = e.putArray("shape");
            Arrays.stream(p.shape).forEach(shape::add);
            e.putArray("data_offsets").add(offset).add(offset + p.byteSize);
            offset += p.byteSize;
        }
        byte[] json;
        try {
            json = SafetensorsHeaderParser.STRICT_JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise header", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
