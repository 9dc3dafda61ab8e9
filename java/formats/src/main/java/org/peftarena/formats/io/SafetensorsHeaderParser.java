package org.peftarena.formats.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses and completely validates a safetensors JSON header before any tensor data is touched. */
public final class SafetensorsHeaderParser {

    /** Largest header accepted, the same bound the reference implementation uses. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** Rejects duplicate keys and trailing tokens; the reference format forbids both. */
    static final JsonMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafetensorsHeaderParser() {
    }

    /**
     * Checks the 8-byte length prefix against the file size.
     *
     * @param source file name for messages
     * @param headerLength value of the little-endian u64 prefix (may be negative when the top bit is set)
     * @param fileSize total file size in bytes
     * @throws SafetensorsFormatException when the header cannot fit
     */
    public static void checkHeaderLength(String source, long headerLength, long fileSize)
            throws SafetensorsFormatException {
        if (fileSize < 8) {
            throw new SafetensorsFormatException(source, "file is " + fileSize
                    + " bytes, shorter than the 8-byte header length prefix");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(source, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the maximum of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > fileSize - 8) {
            throw new SafetensorsFormatException(source, "header length " + headerLength
                    + " exceeds the " + (fileSize - 8) + " bytes after the length prefix (truncated file?)");
        }
        if (headerLength < 2) {
            throw new SafetensorsFormatException(source, "header length " + headerLength
                    + " is too short for a JSON object");
        }
    }

    /**
     * Parses and validates a header.
     *
     * @param source file name for messages
     * @param headerBytes the UTF-8 JSON header (possibly padded with trailing spaces)
     * @param dataLength size of the data section that follows the header
     * @return the validated header
     * @throws SafetensorsFormatException on any violation of the format
     */
    public static SafetensorsHeader parse(String source, byte[] headerBytes, long dataLength)
            throws SafetensorsFormatException {
        if (headerBytes.length == 0 || headerBytes[0] != '{') {
            throw new SafetensorsFormatException(source, "header does not start with '{'");
        }
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(headerBytes);
        } catch (JacksonException e) {
            throw new SafetensorsFormatException(source, "header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new SafetensorsFormatException(source, "header could not be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(source, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals(METADATA_KEY)) {
                parseMetadata(source, f.getValue(), metadata);
            } else {
                tensors.add(parseEntry(source, f.getKey(), f.getValue(), dataLength));
            }
        }
        checkNoOverlap(source, tensors, dataLength);
        return new SafetensorsHeader(metadata, tensors, 8L + headerBytes.length, dataLength);
    }

    private static void parseMetadata(String source, JsonNode node, Map<String, String> out)
            throws SafetensorsFormatException {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new SafetensorsFormatException(source, METADATA_KEY + " is not a JSON object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(source, METADATA_KEY + " value of \"" + e.getKey()
                        + "\" is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo parseEntry(String source, String name, JsonNode node, long dataLength)
            throws SafetensorsFormatException {
        String where = "tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(source, where + " entry is not a JSON object");
        }
        Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!ENTRY_KEYS.contains(k)) {
                throw new SafetensorsFormatException(source, where + " has unknown field \"" + k + "\"");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(source, where + " has no string \"dtype\"");
        }
        SafetensorsDtype dtype = SafetensorsDtype.fromHeaderName(dtypeNode.textValue()).orElseThrow(
                () -> new SafetensorsFormatException(source, where + " has unknown dtype \""
                        + dtypeNode.textValue() + "\""));
        long[] shape = longArray(source, where, node.get("shape"), "shape", -1);
        long[] offsets = longArray(source, where, node.get("data_offsets"), "data_offsets", 2);
        long numel = 1;
        for (long d : shape) {
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException e) {
                throw new SafetensorsFormatException(source, where + " shape overflows the element count");
            }
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new SafetensorsFormatException(source, where + " data_offsets [" + begin + ", " + end
                    + "] end before begin");
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(source, where + " data_offsets [" + begin + ", " + end
                    + "] lie outside the " + dataLength + "-byte data section");
        }
        long expected;
        try {
            expected = Math.multiplyExact(numel, dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(source, where + " byte size overflows");
        }
        if (end - begin != expected) {
            throw new SafetensorsFormatException(source, where + " holds " + (end - begin) + " bytes but "
                    + dtype + " shape of " + numel + " elements needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] longArray(String source, String where, JsonNode node, String field, int requiredLength)
            throws SafetensorsFormatException {
        if (node == null || !node.isArray()) {
            throw new SafetensorsFormatException(source, where + " has no array \"" + field + "\"");
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new SafetensorsFormatException(source, where + " \"" + field + "\" has " + node.size()
                    + " values, expected " + requiredLength);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new SafetensorsFormatException(source, where + " \"" + field + "\"[" + i + "] = " + v
                        + " is not a non-negative integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /**
     * As the reference implementation: sorted by offset, the tensors tile the data section exactly,
     * from byte 0 to its end, with no overlap, no hole and no trailing bytes.
     */
    private static void checkNoOverlap(String source, List<TensorInfo> tensors, long dataLength)
            throws SafetensorsFormatException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo prev = null;
        for (TensorInfo cur : sorted) {
            if (cur.begin() < covered) {
                throw new SafetensorsFormatException(source, "tensors \"" + prev.name() + "\" and \"" + cur.name()
                        + "\" overlap: [" + prev.begin() + ", " + prev.end() + ") and [" + cur.begin() + ", "
                        + cur.end() + ")");
            }
            if (cur.begin() > covered) {
                throw new SafetensorsFormatException(source, "bytes [" + covered + ", " + cur.begin()
                        + ") of the data section belong to no tensor (a hole before \"" + cur.name() + "\")");
            }
            covered = cur.end();
            prev = cur;
        }
        if (covered != dataLength) {
            throw new SafetensorsFormatException(source, "the data section has " + dataLength + " bytes but its tensors"
                    + " cover only " + covered + " (" + (dataLength - covered) + " trailing bytes)");
        }
    }
}
