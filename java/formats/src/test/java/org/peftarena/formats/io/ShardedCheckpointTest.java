package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {

    @TempDir
    Path dir;

    private static SafetensorsWriter sixTensors(Map<String, float[]> values) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        for (int i = 0; i < 6; i++) {
            float[] v = new float[10 + i];
            for (int j = 0; j < v.length; j++) {
                v[j] = i * 100 + j;
            }
            values.put("layer." + i + ".weight", v);
            w.addFloats("layer." + i + ".weight", new long[] {v.length}, v);
        }
        return w;
    }

    @Test
    void shardedWriteReadsBackThroughTheIndex() throws IOException {
        Map<String, float[]> values = new TreeMap<>();
        List<Path> written = sixTensors(values).writeModelDir(dir, 100);
        assertTrue(written.size() > 2, "expected several shards: " + written);
        assertEquals(ShardedCheckpoint.INDEX_FILE, written.get(written.size() - 1).getFileName().toString());
        assertTrue(Files.exists(dir.resolve("model-00001-of-0000" + (written.size() - 1) + ".safetensors")));
        try (ShardedCheckpoint c = ShardedCheckpoint.open(dir)) {
            assertEquals(values.keySet(), c.names());
            assertEquals(written.size() - 1, c.shards().size());
            long total = 0;
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                assertArrayEquals(e.getValue(), c.readFloats(e.getKey()));
                total += c.info(e.getKey()).byteSize();
                assertTrue(c.shardOf(e.getKey()).header().dataLength() <= 100
                        || c.shardOf(e.getKey()).names().size() == 1);
            }
            assertEquals(String.valueOf(total), c.metadata().get("total_size"));
            assertThrows(MissingTensorException.class, () -> c.info("missing"));
        }
    }

    @Test
    void smallModelIsOneFile() throws IOException {
        Map<String, float[]> values = new TreeMap<>();
        List<Path> written = sixTensors(values).writeModelDir(dir, 1 << 20);
        assertEquals(List.of(dir.resolve(ShardedCheckpoint.SINGLE_FILE)), written);
        try (ShardedCheckpoint c = ShardedCheckpoint.open(dir)) {
            assertEquals(values.keySet(), c.names());
            assertEquals("pt", c.metadata().get("format"));
            assertArrayEquals(values.get("layer.3.weight"), c.readFloats("layer.3.weight"));
        }
    }

    @Test
    void emptyDirectoryIsAClearError() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ShardedCheckpoint.open(dir));
        assertTrue(e.getMessage().contains(ShardedCheckpoint.INDEX_FILE), e.getMessage());
    }

    private void writeIndex(String weightMapJson) throws IOException {
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE),
                "{\"metadata\":{\"total_size\":8},\"weight_map\":" + weightMapJson + "}", StandardCharsets.UTF_8);
    }

    private void writeShard(String file, String... names) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (String n : names) {
            w.addFloats(n, new long[] {1}, new float[] {1});
        }
        w.write(dir.resolve(file));
    }

    private String failure() {
        return assertThrows(SafetensorsFormatException.class, () -> ShardedCheckpoint.open(dir)).getMessage();
    }

    @Test
    void missingShardIsNamed() throws IOException {
        writeShard("s1.safetensors", "a");
        writeIndex("{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}");
        assertTrue(failure().contains("shard \"s2.safetensors\" named in weight_map is missing"));
    }

    @Test
    void tensorStoredTwiceIsRejected() throws IOException {
        writeShard("s1.safetensors", "a", "b");
        writeShard("s2.safetensors", "b");
        writeIndex("{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}");
        assertTrue(failure().contains("tensor \"b\" is stored twice"));
    }

    @Test
    void tensorListedTwiceInTheIndexIsRejected() throws IOException {
        writeShard("s1.safetensors", "a");
        writeIndex("{\"a\":\"s1.safetensors\",\"a\":\"s1.safetensors\"}");
        assertTrue(failure().contains("not valid JSON"));
    }

    @Test
    void indexPointingAtTheWrongShardIsRejected() throws IOException {
        writeShard("s1.safetensors", "a");
        writeShard("s2.safetensors", "b");
        writeIndex("{\"a\":\"s2.safetensors\",\"b\":\"s1.safetensors\"}");
        assertTrue(failure().contains("but it is stored in"));
    }

    @Test
    void tensorMissingFromItsShardIsRejected() throws IOException {
        writeShard("s1.safetensors", "a");
        writeIndex("{\"a\":\"s1.safetensors\",\"c\":\"s1.safetensors\"}");
        assertTrue(failure().contains("no shard holds it"));
    }

    @Test
    void unlistedTensorIsRejected() throws IOException {
        writeShard("s1.safetensors", "a", "z");
        writeIndex("{\"a\":\"s1.safetensors\"}");
        assertTrue(failure().contains("\"z\"") && failure().contains("not listed in weight_map"));
    }

    @Test
    void shardOutsideTheDirectoryIsRejected() throws IOException {
        writeIndex("{\"a\":\"../elsewhere.safetensors\"}");
        assertTrue(failure().contains("not a file in the index's directory"));
    }

    @Test
    void malformedIndexIsRejected() throws IOException {
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), "{\"weight_map\": [1]}");
        assertTrue(failure().contains("no \"weight_map\" object"));
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE), "{\"weight_map\": ");
        assertTrue(failure().contains("not valid JSON"));
    }
}
