package org.peftarena.formats.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tensors as a Hugging Face model directory: one {@code <base>.safetensors}, or shards
 * {@code <base>-0000i-of-0000n.safetensors} plus {@code <base>.safetensors.index.json}. Shards are
 * written first and the index last, so a reader never sees an index naming a missing shard.
 */
final class ShardedCheckpointWriter {

    private ShardedCheckpointWriter() {
    }

    static List<Path> write(Path dir, String base, Map<String, String> metadata, List<TensorPayload> payloads,
                            long maxShardBytes) throws IOException {
        if (maxShardBytes < 1) {
            throw new IllegalArgumentException("maxShardBytes must be positive: " + maxShardBytes);
        }
        List<List<TensorPayload>> shards = plan(payloads, maxShardBytes);
        List<Path> written = new ArrayList<>();
        if (shards.size() <= 1) {
            Path file = dir.resolve(base + ".safetensors");
            SafetensorsWriter.writeFile(file, metadata, shards.isEmpty() ? List.of() : shards.get(0));
            written.add(file);
            return written;
        }
        Map<String, String> weightMap = new TreeMap<>();
        long totalSize = 0;
        for (int i = 0; i < shards.size(); i++) {
            String fileName = String.format("%s-%05d-of-%05d.safetensors", base, i + 1, shards.size());
            Path file = dir.resolve(fileName);
            SafetensorsWriter.writeFile(file, metadata, shards.get(i));
            written.add(file);
            for (TensorPayload p : shards.get(i)) {
                weightMap.put(p.name, fileName);
                totalSize += p.byteSize;
            }
        }
        Path index = dir.resolve(base + ".safetensors.index.json");
        AtomicFiles.write(index, indexJson(totalSize, weightMap));
        written.add(index);
        return written;
    }

    /** Greedy in name order: a shard closes when the next tensor would push it past the limit. */
    static List<List<TensorPayload>> plan(List<TensorPayload> payloads, long maxShardBytes) {
        List<TensorPayload> byName = new ArrayList<>(payloads);
        byName.sort(Comparator.comparing(p -> p.name));
        List<List<TensorPayload>> shards = new ArrayList<>();
        List<TensorPayload> current = new ArrayList<>();
        long size = 0;
        for (TensorPayload p : byName) {
            if (!current.isEmpty() && size + p.byteSize > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(p);
            size += p.byteSize;
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private static byte[] indexJson(long totalSize, Map<String, String> weightMap) {
        ObjectNode root = SafetensorsHeaderParser.STRICT_JSON.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode wm = root.putObject("weight_map");
        weightMap.forEach(wm::put);
        try {
            return SafetensorsHeaderParser.STRICT_JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise index", e);
        }
    }
}
