package org.peftarena.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Keys and values of every layer for the tokens seen so far, plus which of those positions are
 * real tokens, so generation feeds only the new token each step. The cache holds its own reference
 * to each tensor it keeps: they outlive the {@code PointerScope} of the step that made them (so a
 * step's other temporaries can be freed with it), a replaced tensor is released at once, and
 * {@link #close()} releases the rest.
 */
public final class KvCache implements AutoCloseable {
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
        this.keyMask = hold(mask, keyMask);
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
        keys[layer] = hold(k, keys[layer]);
        values[layer] = hold(v, values[layer]);
    }

    /** Releases every tensor the cache holds; it is empty afterwards. */
    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l] = hold(null, keys[l]);
            values[l] = hold(null, values[l]);
        }
        keyMask = hold(null, keyMask);
    }

    /** Takes a reference to {@code next} (when not null) and drops the one to {@code previous}. */
    private static Tensor hold(Tensor next, Tensor previous) {
        if (next != null) { // taken first, so re-holding the same tensor never frees it
            next.retainReference();
        }
        if (previous != null && !previous.isNull()) {
            previous.releaseReference();
        }
        return next;
    }
}
