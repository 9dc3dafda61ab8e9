package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.from_blob;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.PointerConsumer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * CPU tensors whose memory is a copy-on-write mapping of a region of a file: the pages are the
 * page cache's until something writes to them (a merge), and a write never reaches the file. Each
 * mapping lives exactly as long as the tensor storage that uses it.
 */
final class MappedTensors {
    /** Mappings by address, held here until LibTorch frees the storage built on them. */
    private static final Map<Long, MappedByteBuffer> LIVE = new ConcurrentHashMap<>();

    /** LibTorch's deleter of a mapped storage: lets the mapping go. */
    private static final PointerConsumer RELEASE = new PointerConsumer() {
        @Override
        public void call(Pointer data) {
            LIVE.remove(data.address());
        }
    };

    private MappedTensors() {
    }

    /**
     * @param file   the file
     * @param offset absolute byte offset of the tensor's first element
     * @param bytes  byte length, exactly numel * element size
     * @param type   element type
     * @param shape  dimensions
     * @return the mapped tensor, or null when the file cannot be opened for a private mapping
     *     (copy-on-write needs a file opened for reading and writing; nothing is ever written)
     */
    static Tensor map(Path file, long offset, long bytes, ScalarType type, long[] shape) throws IOException {
        MappedByteBuffer buffer;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            buffer = ch.map(FileChannel.MapMode.PRIVATE, offset, bytes);
        } catch (AccessDeniedException | UnsupportedOperationException readOnly) {
            return null;
        }
        Pointer data = new Pointer(buffer);
        LIVE.put(data.address(), buffer);
        Tensor t = from_blob(data, shape, RELEASE, new TensorOptions(type), new DeviceOptional());
        if (t.nbytes() != bytes) {
            throw new IllegalArgumentException(bytes + " bytes mapped for " + type + " of " + t.numel()
                    + " elements");
        }
        return t;
    }

    /** Whether a tensor's memory is one of these mappings. */
    static boolean isMapped(Tensor t) {
        return LIVE.containsKey(t.data_ptr().address());
    }
}
