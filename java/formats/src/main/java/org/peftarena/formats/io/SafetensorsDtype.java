package org.peftarena.formats.io;

import java.util.Optional;

/** Element types a safetensors file may hold, with their on-disk size in bytes. */
public enum SafetensorsDtype {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int itemSize;
    private final boolean floatingPoint;

    SafetensorsDtype(int itemSize, boolean floatingPoint) {
        this.itemSize = itemSize;
        this.floatingPoint = floatingPoint;
    }

    /** @return bytes per element */
    public int itemSize() {
        return itemSize;
    }

    /** @return whether values can be read as {@code float[]} */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * Looks up a dtype by its exact header spelling.
     *
     * @param name header spelling, e.g. "BF16"
     * @return the dtype, or empty when the name is not one this reader knows
     */
    public static Optional<SafetensorsDtype> fromHeaderName(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
