package org.peftarena.formats.io;

import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header.
 *
 * @param metadata the {@code __metadata__} string map (empty when absent)
 * @param tensors entries in header order
 * @param dataStart absolute file offset of the data section ({@code 8 + header length})
 * @param dataLength bytes in the data section
 */
public record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors, long dataStart,
                                long dataLength) {

    /** Copies the collections so the record stays immutable. */
    public SafetensorsHeader {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }
}
