package org.peftarena.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Keys and values of every layer for the tokens seen so far, plus which of those positions are
 * real tokens, so generation feeds only the new token each step. Its tensors belong to the
 * {@code PointerScope} that was open when they were created (the generation call).
 */
public final class KvCache {
    private final Tensor[] keys;
    private final Tensor[] values;
    private Tensor keyMask;

    /** An empty cache for a model with {@code layers} blocks. */
    public KvCache(int layers) {
        this.keys = new Tensor[layers];
        this.values = new Tensor[layers];
    }

    /** Number of cached positions (0 when empty). */
    public long length() {
        return keyMask == null ? 0 : keyMask.size(1);
    }

    /** @return {@code [B, S]} int64, 1 at real tokens, or null when empty */
    public Tensor keyMask() {
        return keyMask;
    }

    void setKeyMask(Tensor mask) {
        this.keyMask = mask;
    }

    /** @return cached keys of a layer {@code [B, Hkv, S, D]}, or null when empty */
    public Tensor keys(int layer) {
        return keys[layer];
    }

    /** @return cached values of a layer {@code [B, Hkv, S, D]}, or null when empty */
    public Tensor values(int layer) {
        return values[layer];
    }

    void put(int layer, Tensor k, Tensor v) {
        keys[layer] = k;
        values[layer] = v;
    }
}
