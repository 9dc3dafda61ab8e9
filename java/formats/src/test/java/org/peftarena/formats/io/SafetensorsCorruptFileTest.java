package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed file is rejected with a typed exception naming the file and the problem. */
class SafetensorsCorruptFileTest {

    @TempDir
    Path dir;

    static byte[] file(long headerLength, byte[] header, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, dataBytes);
    }

    static Arguments bad(String label, byte[] content, String expected) {
        return Arguments.of(label, content, expected);
    }

    static Stream<Arguments> corruptFiles() {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] valid = file(ok, 8);
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
        byte[] invalidUtf8 = file("{\"\u00e9\":{}}", 0);
        invalidUtf8[11] = (byte) 0xff;
        return Stream.of(
                bad("empty file", new byte[0], "shorter than the 8-byte"),
                bad("5-byte file", new byte[5], "shorter than the 8-byte"),
                bad("header length beyond file", file(1000, "{}".getBytes(StandardCharsets.US_ASCII), 0),
                        "exceeds the"),
                bad("header length over the maximum", file(200_000_000L, new byte[16], 0), "maximum"),
                bad("header length with top bit set", file(-8L, new byte[16], 0), "maximum"),
                bad("zero header length", file(0, new byte[0], 0), "too short"),
                bad("truncated data", truncated, "outside"),
                bad("not JSON", file("{not json}", 0), "not valid JSON"),
                bad("JSON array", file("[1, 2, 3]  ", 0), "does not start with '{'"),
                bad("trailing garbage", file("{} {}", 0), "not valid JSON"),
                bad("duplicate tensor", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                        + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2), "not valid JSON"),
                bad("invalid UTF-8", invalidUtf8, "not valid JSON"),
                bad("unknown dtype", file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                        "unknown dtype \"F8_E4M3\""),
                bad("dtype not a string", file("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        "no string \"dtype\""),
                bad("missing shape", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "\"shape\""),
                bad("negative dim", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
                        "non-negative integer"),
                bad("fractional dim", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4),
                        "non-negative integer"),
                bad("overflowing shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                        + "\"data_offsets\":[0,4]}}", 4), "overflows"),
                bad("three offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8),
                        "expected 2"),
                bad("offsets outside data", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 8),
                        "outside"),
                bad("end before begin", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8),
                        "end before begin"),
                bad("size mismatch", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 16),
                        "needs 12"),
                bad("overlap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap"),
                bad("unknown entry field", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],"
                        + "\"x\":1}}", 1), "unknown field \"x\""),
                bad("entry not an object", file("{\"a\":[1]}", 0), "not a JSON object"),
                bad("metadata not strings", file("{\"__metadata__\":{\"k\":1}}", 0), "not a string"),
                bad("metadata not an object", file("{\"__metadata__\":[]}", 0), "not a JSON object"),
                bad("hole before the first tensor", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[4,5]}}", 5),
                        "belong to no tensor"),
                bad("hole between tensors", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                        + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]}}", 3), "belong to no tensor"),
                bad("trailing bytes", file(ok, 12), "trailing bytes"),
                bad("bytes but no tensors", file("{}", 4), "trailing bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void rejectsWithTypedException(String label, byte[] content, String expected) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), label + ": " + e.getMessage());
    }

    @Test
    void acceptsASpacePaddedHeader() throws IOException {
        Path f = dir.resolve("ok.safetensors");
        Files.write(f, file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"z\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[1,1]}}     ", 1));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertTrue(s.contains("a"));
        }
    }
}
