package org.peftarena.formats.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the data section of a safetensors file as several read-only buffers, each at most
 * {@code maxMapBytes} long, planned so that every tensor lies wholly inside one buffer (a single
 * MappedByteBuffer cannot exceed 2 GiB, and separate mappings are not contiguous in memory).
 * A tensor larger than one mapping gets none and is read through the channel instead.
 */
final class MappedChunks {

    private record Chunk(long start, MappedByteBuffer buffer) {
    }

    private final Map<String, Chunk> chunkOf = new HashMap<>();
    private final int chunkCount;

    /**
     * @param channel open channel of the file
     * @param header validated header
     * @param maxMapBytes largest single mapping, in [1, Integer.MAX_VALUE]
     */
    MappedChunks(FileChannel channel, SafetensorsHeader header, long maxMapBytes) throws IOException {
        if (maxMapBytes < 1 || maxMapBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxMapBytes must be in [1, " + Integer.MAX_VALUE + "]: " + maxMapBytes);
        }
        List<TensorInfo> sorted = new ArrayList<>(header.tensors());
        sorted.removeIf(t -> t.byteSize() == 0);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        List<TensorInfo> pending = new ArrayList<>();
        long start = -1;
        long end = -1;
        int count = 0;
        for (TensorInfo t : sorted) {
            if (t.byteSize() > maxMapBytes) {
                continue;
            }
            if (start >= 0 && t.end() - start > maxMapBytes) {
                map(channel, header.dataStart(), start, end, pending);
                count++;
                pending.clear();
                start = -1;
            }
            if (start < 0) {
                start = t.begin();
            }
            end = t.end();
            pending.add(t);
        }
        if (!pending.isEmpty()) {
            map(channel, header.dataStart(), start, end, pending);
            count++;
        }
        chunkCount = count;
    }

    private void map(FileChannel channel, long dataStart, long start, long end, List<TensorInfo> tensors)
            throws IOException {
        MappedByteBuffer buf = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + start, end - start);
        Chunk chunk = new Chunk(start, buf);
        for (TensorInfo t : tensors) {
            chunkOf.put(t.name(), chunk);
        }
    }

    /** @return number of mappings made */
    int chunkCount() {
        return chunkCount;
    }

    /**
     * @param t tensor of this file
     * @return a little-endian read-only view of its bytes, or null when the tensor has no mapping
     */
    ByteBuffer view(TensorInfo t) {
        if (t.byteSize() == 0) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        Chunk c = chunkOf.get(t.name());
        if (c == null) {
            return null;
        }
        ByteBuffer dup = c.buffer().duplicate();
        dup.limit((int) (t.end() - c.start()));
        dup.position((int) (t.begin() - c.start()));
        return dup.slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
