package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training JSONL: a BOM is fine; trailing garbage, bad UTF-8 and non-regular files are errors with a place. */
class SftDataStrictnessTest {
    @TempDir
    Path tmp;

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        Files.write(f, "\uFEFF{\"prompt\": \"a\", \"response\": \"b\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, SftDataset.readJsonl(f).size());
    }

    @Test
    void trailingGarbageAfterAValueIsAnError() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        Files.writeString(f, "{\"text\": \"a\"}\n{\"text\": \"b\"} {\"text\": \"c\"}\n");
        SftDataException e = assertThrows(SftDataException.class, () -> SftDataset.readJsonl(f));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }

    @Test
    void invalidUtf8NamesItsLine() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        byte[] ok = "{\"text\": \"a\"}\n{\"text\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(ok, ok.length + 3);
        all[ok.length] = (byte) 0xFF;
        all[ok.length + 1] = '"';
        all[ok.length + 2] = '}';
        Files.write(f, all);
        SftDataException e = assertThrows(SftDataException.class, () -> SftDataset.readJsonl(f));
        assertTrue(e.getMessage().contains(":2: not valid UTF-8"), e.getMessage());
    }

    @Test
    void aFifoIsRefusedInsteadOfHanging() throws Exception {
        Path fifo = tmp.resolve("fifo.jsonl");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        SftDataException e = assertThrows(SftDataException.class, () -> SftDataset.readJsonl(fifo));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
