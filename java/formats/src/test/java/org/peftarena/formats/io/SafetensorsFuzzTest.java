package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random damage to a valid file either still opens and reads cleanly or fails with a typed exception. */
class SafetensorsFuzzTest {

    @TempDir
    Path dir;

    @Test
    void mutatedFilesNeverFailUntyped() throws IOException {
        Path good = dir.resolve("good.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .addFloats("a.weight", SafetensorsDtype.BF16, new long[] {4, 3}, new float[12])
                .addFloats("b.bias", SafetensorsDtype.F32, new long[] {5}, new float[5])
                .add("c.ids", SafetensorsDtype.I64, new long[] {2}, new byte[16])
                .write(good);
        byte[] original = Files.readAllBytes(good);
        Random rnd = new Random(1234);
        Path f = dir.resolve("mutant.safetensors");
        int opened = 0;
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] m = mutate(original, rnd);
            Files.write(f, m);
            try (SafetensorsFile s = SafetensorsFile.open(f, 1 + rnd.nextInt(64))) {
                for (String name : s.names()) {
                    TensorInfo t = s.info(name);
                    byte[] raw = s.readBytes(name);
                    assertTrue(raw.length == t.byteSize());
                    if (t.dtype().isFloatingPoint()) {
                        assertTrue(s.readFloats(name).length == t.numel());
                    }
                }
                opened++;
            } catch (SafetensorsFormatException e) {
                rejected++;
            }
        }
        assertTrue(rejected > 100, "most mutations should be rejected: " + rejected);
        assertTrue(opened > 0, "some mutations only touch data and must still open: " + opened);
    }

    @SuppressWarnings("StatementSwitchToExpressionSwitch") // the multi-statement case blocks read more clearly as a statement switch
    private static byte[] mutate(byte[] original, Random rnd) {
        switch (rnd.nextInt(4)) {
            case 0:
                return Arrays.copyOf(original, rnd.nextInt(original.length));
            case 1: {
                byte[] m = original.clone();
                for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                return m;
            }
            case 2: {
                byte[] m = original.clone();
                int headerEnd = 8 + (m[0] & 0xff);
                int pos = 8 + rnd.nextInt(headerEnd - 8);
                m[pos] = (byte) "0123456789[]{},:\"-. e".charAt(rnd.nextInt(21));
                return m;
            }
            default: {
                byte[] m = original.clone();
                m[rnd.nextInt(8)] = (byte) rnd.nextInt(256);
                return m;
            }
        }
    }
}
