package org.peftarena.formats.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors.index.json} with its
 * shards, or a single {@code model.safetensors}. Every shard is validated and the index is checked
 * against the shards' contents (each tensor in exactly one shard, the one the index names).
 */
public final class ShardedCheckpoint implements TensorStore {

    /** Index file name of a sharded model. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** Weights file name of an unsharded model. */
    public static final String SINGLE_FILE = "model.safetensors";

    private final String source;
    private final Map<String, String> metadata;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> shardOf;
    private final SortedSet<String> names;

    private ShardedCheckpoint(String source, Map<String, String> metadata, List<SafetensorsFile> shards,
                              Map<String, SafetensorsFile> shardOf) {
        this.source = source;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.shards = List.copyOf(shards);
        this.shardOf = Map.copyOf(shardOf);
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(shardOf.keySet()));
    }

    /**
     * Opens the weights of a model directory, preferring the sharded index when present.
     *
     * @param modelDir directory with {@value #INDEX_FILE} or {@value #SINGLE_FILE}
     * @return the checkpoint
     * @throws SafetensorsFormatException when the index or a shard is malformed or inconsistent
     * @throws IOException when neither file exists or reading fails
     */
    public static ShardedCheckpoint open(Path modelDir) throws IOException {
        return open(modelDir, SafetensorsFile.DEFAULT_MAX_MAP_BYTES);
    }

    /**
     * @param modelDir model directory
     * @param maxMapBytes largest single mapping per shard (see {@link SafetensorsFile#open(Path, long)})
     * @return the checkpoint
     * @throws IOException when unreadable, missing or malformed
     */
    public static ShardedCheckpoint open(Path modelDir, long maxMapBytes) throws IOException {
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openIndex(index, maxMapBytes);
        }
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single, maxMapBytes);
            Map<String, SafetensorsFile> shardOf = new HashMap<>();
            f.names().forEach(n -> shardOf.put(n, f));
            return new ShardedCheckpoint(single.toString(), f.metadata(), List.of(f), shardOf);
        }
        throw new java.nio.file.NoSuchFileException(modelDir.toString(), null,
                "neither " + INDEX_FILE + " nor " + SINGLE_FILE + " found");
    }

    /**
     * Opens a sharded checkpoint from its index file; shards are resolved in the index's directory.
     *
     * @param indexFile the {@code *.safetensors.index.json}
     * @param maxMapBytes largest single mapping per shard
     * @return the checkpoint
     * @throws IOException when unreadable, missing or malformed
     */
    public static ShardedCheckpoint openIndex(Path indexFile, long maxMapBytes) throws IOException {
        String src = indexFile.toString();
        JsonNode root;
        try {
            root = SafetensorsHeaderParser.STRICT_JSON.readTree(Files.readAllBytes(indexFile));
        } catch (JacksonException e) {
            throw new SafetensorsFormatException(src, "index is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(src, "index is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new SafetensorsFormatException(src, "\"metadata\" is not a JSON object");
            }
            meta.fields().forEachRemaining(e -> metadata.put(e.getKey(),
                    e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        }
        JsonNode wm = root.get("weight_map");
        if (wm == null || !wm.isObject()) {
            throw new SafetensorsFormatException(src, "index has no \"weight_map\" object");
        }
        Path dir = indexFile.toAbsolutePath().normalize().getParent();
        Map<String, String> weightMap = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = wm.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(src, "weight_map entry \"" + e.getKey() + "\" is not a file name");
            }
            weightMap.put(e.getKey(), checkShardName(src, dir, e.getKey(), e.getValue().textValue()));
        }
        Map<String, SafetensorsFile> byFile = new TreeMap<>();
        try {
            for (String file : new TreeSet<>(weightMap.values())) {
                Path p = dir.resolve(file);
                if (!Files.isRegularFile(p)) {
                    throw new SafetensorsFormatException(src, "shard \"" + file + "\" named in weight_map is missing");
                }
                byFile.put(file, SafetensorsFile.open(p, maxMapBytes));
            }
            Map<String, SafetensorsFile> shardOf = crossCheck(src, weightMap, byFile);
            return new ShardedCheckpoint(src, metadata, new ArrayList<>(byFile.values()), shardOf);
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile f : byFile.values()) {
                try {
                    f.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static String checkShardName(String src, Path dir, String tensor, String file)
            throws SafetensorsFormatException {
        Path resolved;
        try {
            resolved = dir.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new SafetensorsFormatException(src, "weight_map entry \"" + tensor + "\" names \"" + file
                    + "\", which is not a valid file name: " + e.getReason());
        }
        if (file.isEmpty() || file.contains("/") || file.contains("\\") || !dir.equals(resolved.getParent())) {
            throw new SafetensorsFormatException(src, "weight_map entry \"" + tensor + "\" names \"" + file
                    + "\", which is not a file in the index's directory");
        }
        return file;
    }

    private static Map<String, SafetensorsFile> crossCheck(String src, Map<String, String> weightMap,
                                                           Map<String, SafetensorsFile> byFile)
            throws SafetensorsFormatException {
        Map<String, String> foundIn = new HashMap<>();
        for (Map.Entry<String, SafetensorsFile> shard : byFile.entrySet()) {
            for (String name : shard.getValue().names()) {
                String previous = foundIn.putIfAbsent(name, shard.getKey());
                if (previous != null) {
                    throw new SafetensorsFormatException(src, "tensor \"" + name + "\" is stored twice, in \""
                            + previous + "\" and \"" + shard.getKey() + "\"");
                }
                if (!weightMap.containsKey(name)) {
                    throw new SafetensorsFormatException(src, "tensor \"" + name + "\" in shard \"" + shard.getKey()
                            + "\" is not listed in weight_map");
                }
            }
        }
        Map<String, SafetensorsFile> shardOf = new HashMap<>();
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            String actual = foundIn.get(e.getKey());
            if (!e.getValue().equals(actual)) {
                throw new SafetensorsFormatException(src, "weight_map puts tensor \"" + e.getKey() + "\" in \""
                        + e.getValue() + "\" but " + (actual == null ? "no shard holds it"
                        : "it is stored in \"" + actual + "\""));
            }
            shardOf.put(e.getKey(), byFile.get(actual));
        }
        return shardOf;
    }

    /** @return the opened shard files */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    /**
     * @param name tensor name
     * @return the shard file holding it
     * @throws MissingTensorException when absent
     */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile f = shardOf.get(name);
        if (f == null) {
            throw new MissingTensorException(source, name);
        }
        return f;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    @Override
    public Optional<TensorInfo> find(String name) {
        SafetensorsFile f = shardOf.get(name);
        return f == null ? Optional.empty() : f.find(name);
    }

    @Override
    public ByteBuffer buffer(String name) {
        return shardOf(name).buffer(name);
    }

    @Override
    public void readInto(String name, ByteBuffer dst) throws IOException {
        shardOf(name).readInto(name, dst);
    }

    @Override
    public byte[] readBytes(String name) throws IOException {
        return shardOf(name).readBytes(name);
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        return shardOf(name).readFloats(name);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : shards) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
