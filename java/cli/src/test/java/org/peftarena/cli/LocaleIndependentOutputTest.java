package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line prints numbers the same way whatever the machine's locale. */
class LocaleIndependentOutputTest {
    @Test
    void aGermanDefaultLocaleDoesNotChangeHowNumbersPrint() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.language=de", "-Duser.country=DE", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "params", "--model-config", ParamsCommandTest.qwen(), "--method", "lora", "--rank", "8");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command did not finish");
        assertEquals(0, p.exitValue(), out);
        // the total of ParamsCommandTest's reference table, grouped with commas as in the README
        assertTrue(out.contains("20,185,088"), out);
        assertFalse(out.contains("20.185.088"), out);
    }
}
