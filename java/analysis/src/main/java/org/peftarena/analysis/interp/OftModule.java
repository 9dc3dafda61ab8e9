package org.peftarena.analysis.interp;

import org.bytedeco.pytorch.Tensor;

/**
 * One OFT-adapted linear layer as stored in an adapter: its packed skew generators.
 *
 * @param path module path, e.g. {@code model.layers.3.mlp.up_proj}
 * @param layer transformer block index parsed from the path
 * @param key the adapter tensor's HF PEFT key ({@code base_model.model.<path>.oft_R.weight})
 * @param packed float32 {@code [blocks, b(b-1)/2]}, strict upper triangles in row-major triu order
 * @param blockSize b
 */
public record OftModule(String path, int layer, String key, Tensor packed, int blockSize) {
    /** Number of blocks ({@code in / b}). */
    public int blocks() {
        return Math.toIntExact(packed.size(0));
    }

    /** Input features covered by the blocks. */
    public long in() {
        return (long) blocks() * blockSize;
    }
}
