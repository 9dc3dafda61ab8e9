package org.peftarena.formats.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A memory-mapped safetensors file whose header has been completely validated before any tensor
 * data is touched.
 */
public final class SafetensorsFile implements TensorStore {

    /** Largest single mapping a MappedByteBuffer allows. */
    public static final long DEFAULT_MAX_MAP_BYTES = Integer.MAX_VALUE;

    /** Upper bound of the pieces in which tensors without a mapping are streamed through the channel. */
    private static final int MAX_READ_PIECE_BYTES = 64 << 20;

    private final Path path;
    private final SafetensorsHeader header;
    private final Map<String, TensorInfo> byName;
    private final SortedSet<String> names;
    private final FileChannel channel;
    private final MappedChunks chunks;
    private final int readPieceBytes;
    private volatile boolean closed;

    private SafetensorsFile(Path path, SafetensorsHeader header, FileChannel channel, MappedChunks chunks,
                            long maxMapBytes) {
        this.path = path;
        // a multiple of 8 so that no element of any dtype straddles two pieces
        this.readPieceBytes = (int) Math.max(8, Math.min(MAX_READ_PIECE_BYTES, maxMapBytes) / 8 * 8);
        this.header = header;
        this.channel = channel;
        this.chunks = chunks;
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors()) {
            m.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(m.keySet()));
    }

    /**
     * Opens and validates a file.
     *
     * @param path the .safetensors file
     * @return the open file
     * @throws SafetensorsFormatException when the file is malformed
     * @throws IOException when it cannot be read
     */
    public static SafetensorsFile open(Path path) throws IOException {
        return open(path, DEFAULT_MAX_MAP_BYTES);
    }

    /**
     * Opens and validates a file, mapping it in pieces of at most {@code maxMapBytes}.
     *
     * @param path the .safetensors file
     * @param maxMapBytes largest single mapping, in [1, 2^31 - 1]; small values exist for tests
     * @return the open file
     * @throws SafetensorsFormatException when the file is malformed
     * @throws IOException when it cannot be read
     */
    public static SafetensorsFile open(Path path, long maxMapBytes) throws IOException {
        String source = path.toString();
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            SafetensorsHeader header = readHeader(source, ch);
            MappedChunks chunks = new MappedChunks(ch, header, maxMapBytes);
            return new SafetensorsFile(path, header, ch, chunks, maxMapBytes);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Reads and validates only the header of a file.
     *
     * @param path the .safetensors file
     * @return the validated header
     * @throws IOException when unreadable or malformed
     */
    public static SafetensorsHeader readHeader(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(path.toString(), ch);
        }
    }

    private static SafetensorsHeader readHeader(String source, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            SafetensorsHeaderParser.checkHeaderLength(source, 0, size);
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, prefix, 0);
        long headerLength = prefix.getLong(0);
        SafetensorsHeaderParser.checkHeaderLength(source, headerLength, size);
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
        readFully(ch, headerBuf, 8);
        return SafetensorsHeaderParser.parse(source, headerBuf.array(), size - 8 - headerLength);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** @return the file path */
    public Path path() {
        return path;
    }

    /** @return the validated header */
    public SafetensorsHeader header() {
        return header;
    }

    /** @return number of memory mappings this file uses */
    public int mappingCount() {
        return chunks.chunkCount();
    }

    @Override
    public String source() {
        return path.toString();
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public ByteBuffer buffer(String name) {
        checkOpen();
        TensorInfo t = info(name);
        ByteBuffer v = chunks.view(t);
        if (v == null) {
            throw new UnsupportedOperationException(source() + ": tensor \"" + name + "\" (" + t.byteSize()
                    + " bytes) is larger than one mapping; use readInto");
        }
        return v;
    }

    @Override
    public void readInto(String name, ByteBuffer dst) throws IOException {
        checkOpen();
        TensorInfo t = info(name);
        if (dst.remaining() < t.byteSize()) {
            throw new IllegalArgumentException("destination has " + dst.remaining() + " bytes, tensor \"" + name
                    + "\" needs " + t.byteSize());
        }
        ByteBuffer v = chunks.view(t);
        if (v != null) {
            dst.put(v);
            return;
        }
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + (int) t.byteSize());
        readFully(channel, window, header.dataStart() + t.begin());
        dst.position(window.position());
    }

    @Override
    public byte[] readBytes(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.byteSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source() + ": tensor \"" + name + "\" has " + t.byteSize()
                    + " bytes, too many for one array");
        }
        byte[] out = new byte[(int) t.byteSize()];
        readInto(name, ByteBuffer.wrap(out));
        return out;
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        checkOpen();
        TensorInfo t = info(name);
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(source() + ": tensor \"" + name + "\" has dtype " + t.dtype()
                    + ", not a floating-point type");
        }
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source() + ": tensor \"" + name + "\" has " + t.numel()
                    + " elements, too many for one array");
        }
        float[] out = new float[(int) t.numel()];
        ByteBuffer v = chunks.view(t);
        if (v != null) {
            FloatDecoding.decode(t.dtype(), v, out, 0);
            return out;
        }
        ByteBuffer piece = ByteBuffer.allocate(readPieceBytes).order(ByteOrder.LITTLE_ENDIAN);
        int written = 0;
        for (long pos = t.begin(); pos < t.end(); pos += readPieceBytes) {
            piece.clear();
            piece.limit((int) Math.min(readPieceBytes, t.end() - pos));
            readFully(channel, piece, header.dataStart() + pos);
            piece.flip();
            written += FloatDecoding.decode(t.dtype(), piece, out, written);
        }
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(source() + " is closed");
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + byName.size() + " tensors]";
    }
}
