package org.peftarena.arena.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Score files: a BOM is fine; out-of-range values, duplicate rows, trailing JSON and bad UTF-8 are not. */
class ScoreFileStrictnessTest {
    @TempDir
    Path tmp;

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path f = tmp.resolve("s.csv");
        Files.write(f, "\uFEFFrun,alpha,target,general\nr1,1,50,60\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, ExternalScoreReader.read(f).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "target above 100|run,alpha,target,general\\nr1,1,150,60|'target' = 150.0",
        "negative general|run,alpha,target,general\\nr1,1,50,-1|'general' = -1.0",
        "negative alpha|run,alpha,target,general\\nr1,-0.5,50,60|'alpha' = -0.5",
        "duplicate run and alpha|run,alpha,target,general\\nr1,0.5,50,60\\nr1,0.5,51,61|two rows for r1",
        "trailing JSON|[{\"run\": \"r1\", \"target\": 1, \"general\": 2}] x|not valid JSON",
        "duplicate JSON key|[{\"run\": \"r1\", \"target\": 1, \"target\": 3, \"general\": 2}]|not valid JSON"})
    void malformedScoresAreRefused(String label, String content, String expected) throws Exception {
        Path f = tmp.resolve("s" + (content.startsWith("[") ? ".json" : ".csv"));
        Files.writeString(f, content.replace("\\n", "\n"));
        ScoreImportException e = assertThrows(ScoreImportException.class, () -> ExternalScoreReader.read(f));
        assertTrue(e.getMessage().contains(expected), label + ": " + e.getMessage());
    }

    @Test
    void invalidUtf8NamesItsLine() throws Exception {
        Path f = tmp.resolve("s.csv");
        byte[] head = "run,alpha,target,general\nr1,1,50,60\nr".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "2,1,50,60\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xC3;
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        Files.write(f, all);
        ScoreImportException e = assertThrows(ScoreImportException.class, () -> ExternalScoreReader.read(f));
        assertTrue(e.getMessage().contains(":3: not valid UTF-8"), e.getMessage());
    }
}
