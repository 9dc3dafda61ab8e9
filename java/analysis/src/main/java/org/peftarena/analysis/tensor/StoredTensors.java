package org.peftarena.analysis.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.formats.io.FiniteValues;
import org.peftarena.formats.io.TensorInfo;
import org.peftarena.formats.io.TensorStore;

/** Reads named tensors of a safetensors store into float32 LibTorch tensors and hashes their content. */
public final class StoredTensors {
    private static final int HASH_PIECE_BYTES = 16 << 20;

    private StoredTensors() {}

    /**
     * @param store an open store
     * @param name tensor name
     * @return the tensor converted to float32, with its stored shape (any rank)
     * @throws DiagnosticInputException when the tensor is missing or not floating point
     * @throws org.peftarena.formats.io.NonFiniteTensorException when it holds NaN or infinity
     * @throws IOException when reading fails
     */
    public static Tensor read(TensorStore store, String name) throws IOException {
        TensorInfo info = store.find(name).orElseThrow(() -> new DiagnosticInputException(
                store.source() + " has no tensor \"" + name + "\""));
        if (!info.dtype().isFloatingPoint()) {
            throw new DiagnosticInputException(store.source() + ": tensor \"" + name + "\" has dtype " + info.dtype()
                    + ", not a floating-point type");
        }
        float[] values = store.readFloats(name);
        // NaN/Inf would reach LAPACK, which prints to stdout and fails with a native trace
        FiniteValues.require(store.source(), name, values);
        Tensor t = torch.empty(info.shape(), new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Float), null);
        t.data_ptr_float().put(values);
        return t;
    }

    /**
     * @param store an open store
     * @param name tensor name
     * @return the tensor as float32 [rows, cols]
     * @throws DiagnosticInputException when it is missing, not floating point or not 2-D
     * @throws IOException when reading fails
     */
    public static Tensor matrix(TensorStore store, String name) throws IOException {
        TensorInfo info = store.find(name).orElseThrow(() -> new DiagnosticInputException(
                store.source() + " has no tensor \"" + name + "\""));
        if (info.rank() != 2) {
            throw new DiagnosticInputException(store.source() + ": tensor \"" + name + "\" has shape "
                    + java.util.Arrays.toString(info.shape()) + ", not a 2-D matrix");
        }
        return read(store, name);
    }

    /**
     * SHA-256 over a tensor's dtype, shape and raw bytes: two stores holding the same weight give
     * the same hash whatever else their files contain.
     *
     * @return lower-case hex digest
     * @throws IOException when reading fails
     */
    public static String contentHash(TensorStore store, String name) throws IOException {
        TensorInfo info = store.info(name);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        md.update((info.dtype() + java.util.Arrays.toString(info.shape())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ByteBuffer view;
        try {
            view = store.buffer(name);
        } catch (UnsupportedOperationException tooLarge) {
            view = null;
        }
        if (view != null) {
            md.update(view);
        } else {
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(info.byteSize()));
            store.readInto(name, all);
            all.flip();
            while (all.hasRemaining()) {
                ByteBuffer piece = all.slice();
                piece.limit(Math.min(piece.remaining(), HASH_PIECE_BYTES));
                md.update(piece);
                all.position(all.position() + piece.limit());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
