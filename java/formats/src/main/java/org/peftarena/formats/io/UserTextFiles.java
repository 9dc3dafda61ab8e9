package org.peftarena.formats.io;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text files users hand in (data, scores, configs) by one rule: a regular file (a FIFO or a
 * device would block or never end), UTF-8 with an optional byte-order mark, and invalid bytes reported
 * with their line number instead of being replaced or failing without one.
 */
public final class UserTextFiles {
    /** JSON as strict as the reference parsers: no duplicate keys, nothing after the value. */
    public static final JsonMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private UserTextFiles() {
    }

    /**
     * @param file the path
     * @throws UserFileException when it is missing or not a regular file
     */
    public static void requireRegularFile(Path file) throws UserFileException {
        if (!Files.exists(file)) {
            throw new UserFileException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserFileException(file + " is not a regular file" + (Files.isDirectory(file) ? " (a directory)"
                    : " (a pipe, socket or device would block or never end)"));
        }
    }

    /**
     * The file's bytes without a leading UTF-8 byte-order mark, after checking it is a regular file.
     *
     * @throws UserFileException when it is not a regular file
     * @throws IOException when reading fails
     */
    public static byte[] bytes(Path file) throws IOException {
        requireRegularFile(file);
        byte[] b = Files.readAllBytes(file);
        if (b.length >= 3 && b[0] == BOM[0] && b[1] == BOM[1] && b[2] == BOM[2]) {
            return java.util.Arrays.copyOfRange(b, 3, b.length);
        }
        return b;
    }

    /**
     * The file's lines (without terminators; a trailing CR is dropped), decoded strictly.
     *
     * @throws UserFileException naming the line of the first invalid UTF-8 sequence, or when not a regular file
     * @throws IOException when reading fails
     */
    public static List<String> lines(Path file) throws IOException {
        byte[] b = bytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> out = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == '\n') {
                if (i == b.length && start == b.length) {
                    break;
                }
                int end = i > start && b[i - 1] == '\r' ? i - 1 : i;
                try {
                    out.add(decoder.reset().decode(ByteBuffer.wrap(b, start, end - start)).toString());
                } catch (CharacterCodingException e) {
                    throw new UserFileException(file + ":" + line + ": not valid UTF-8");
                }
                start = i + 1;
                line++;
            }
        }
        return out;
    }

    /**
     * The whole file as text (lines joined by '\n'), decoded strictly.
     *
     * @throws UserFileException naming the line of the first invalid UTF-8 sequence, or when not a regular file
     * @throws IOException when reading fails
     */
    public static String text(Path file) throws IOException {
        return String.join("\n", lines(file));
    }
}
