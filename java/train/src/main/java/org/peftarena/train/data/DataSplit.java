package org.peftarena.train.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Train / validation / test membership decided by a stable hash of an item's text, so the same
 * item lands in the same split on every machine and in every run (80 / 10 / 10).
 */
public enum DataSplit {
    /** 80% of items. */
    TRAIN,
    /** 10% of items. */
    VALIDATION,
    /** 10% of items. */
    TEST;

    /** Percent of items in {@link #TRAIN}. */
    public static final int TRAIN_PERCENT = 80;
    /** Percent of items in {@link #VALIDATION}. */
    public static final int VALIDATION_PERCENT = 10;

    /**
     * The split of an item: the first 8 bytes of SHA-256 of its UTF-8 text, as an unsigned number
     * modulo 100, against the cumulative percentages.
     */
    public static DataSplit of(String text) {
        int bucket = bucket(text);
        if (bucket < TRAIN_PERCENT) {
            return TRAIN;
        }
        return bucket < TRAIN_PERCENT + VALIDATION_PERCENT ? VALIDATION : TEST;
    }

    /** The hash bucket 0..99 of a text (exposed so tests can check the split is the documented one). */
    static int bucket(String text) {
        byte[] d = sha256(text.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return (int) Long.remainderUnsigned(h, 100);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
