package org.peftarena.analysis.interp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.oft.OftConfig;

/** Reads the OFT modules of an adapter. */
public final class OftGenerators {
    /** Suffix of an OFT generator tensor's key. */
    public static final String SUFFIX = ".oft_R.weight";

    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.");

    private OftGenerators() {}

    /**
     * The OFT modules of an adapter, in the adapter file's order.
     *
     * @throws PathException if the adapter is not OFT, or a generator tensor has an impossible shape
     */
    public static List<OftModule> read(AdapterCheckpoint adapter) {
        OftConfig config = config(adapter);
        List<OftModule> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : adapter.tensors().entrySet()) {
            String key = e.getKey();
            if (!key.endsWith(SUFFIX)) {
                continue;
            }
            Tensor packed = e.getValue();
            if (packed.dim() != 2) {
                throw new PathException(key + ": OFT generators must be [blocks, b(b-1)/2], got " + packed.dim() + "-d");
            }
            int b = blockSizeOf(packed.size(1), key);
            String path = key.substring(AdapterSet.KEY_PREFIX.length(), key.length() - SUFFIX.length());
            OftModule m = new OftModule(path, layerOf(path), key, packed.to(torch.ScalarType.Float).contiguous(), b);
            // the block size the configuration gives this layer, as merge's OFT layer uses it
            long expected = config.effectiveBlockSize(m.in());
            if (b != expected) {
                throw new PathException(key + ": blocks of " + b + " but oft_block_size " + config.blockSize()
                        + " gives blocks of " + expected + " for the " + m.in() + " inputs of " + path);
            }
            out.add(m);
        }
        if (out.isEmpty()) {
            throw new PathException("OFT adapter (" + config + ") holds no '*" + SUFFIX + "' tensor");
        }
        return out;
    }

    /**
     * The adapter's OFT configuration.
     *
     * @throws PathException if the adapter is not OFT
     */
    public static OftConfig config(AdapterCheckpoint adapter) {
        if (!(adapter.config() instanceof OftConfig c)) {
            throw new PathException("expected an OFT adapter, got " + adapter.config().method().cliName());
        }
        return c;
    }

    /**
     * The transformer block index in a module path ({@code model.layers.7.self_attn.q_proj} gives 7).
     *
     * @throws PathException when the path names no block
     */
    public static int layerOf(String path) {
        Matcher m = LAYER.matcher(path);
        if (!m.find()) {
            throw new PathException("module path '" + path + "' names no transformer block (layers.N.)");
        }
        return Integer.parseInt(m.group(1));
    }

    private static int blockSizeOf(long triangle, String key) {
        long b = Math.round((1 + Math.sqrt(1 + 8.0 * triangle)) / 2);
        // b = 1 (no entries) happens when HF PEFT's divisor search lands on 1 for a prime width
        if (b < 1 || b * (b - 1) / 2 != triangle) {
            throw new PathException(key + ": " + triangle + " generator entries per block is not b(b-1)/2 for any b");
        }
        return Math.toIntExact(b);
    }
}
