package org.peftarena.arena.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The default JVM options of a run (the launcher's and a Slurm task's) keep its resident size flat: the young
 * generation, which a training step's short-lived objects cycle through, has a fixed small size whatever the
 * machine's memory, so it is filled once early in a run and not grown later.
 */
class DefaultJavaOptionsTest {
    private static final Pattern LAUNCHER_DEFAULT = Pattern.compile("\\$\\{PEFT_ARENA_JAVA_OPTS:-([^}]*)}");

    @Test
    void theLauncherAndSlurmTasksShareTheDefaults() throws IOException {
        String launcher = Files.readString(Path.of("../../peft-arena"), StandardCharsets.UTF_8);
        Matcher m = LAUNCHER_DEFAULT.matcher(launcher);
        assertTrue(m.find(), "the launcher's default JVM options");
        assertEquals(ExecutorSettings.DEFAULT_JAVA_OPTS, m.group(1));
        assertEquals(ExecutorSettings.DEFAULT_JAVA_OPTS, ExecutorSettings.DEFAULT.javaOpts());
    }

    @Test
    void theYoungGenerationIsFixedAndSmall() throws IOException, InterruptedException {
        Map<String, String> flags = finalFlags(ExecutorSettings.DEFAULT_JAVA_OPTS);
        long newSize = Long.parseLong(flags.get("NewSize"));
        long maxNewSize = Long.parseLong(flags.get("MaxNewSize"));
        assertEquals(newSize, maxNewSize, "the young generation cannot grow");
        assertTrue(maxNewSize <= 64L << 20, "young generation of " + maxNewSize + " bytes");
        assertEquals("true", flags.get("UseSerialGC"), "a collector that keeps the young generation in one place");
    }

    /** {@code -XX:+PrintFlagsFinal} of a JVM started with {@code opts}. */
    private static Map<String, String> finalFlags(String opts) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(opts.trim().split("\\s+", -1)));
        cmd.add("-XX:+PrintFlagsFinal");
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "java " + opts + " -version:\n" + out);
        Map<String, String> flags = new HashMap<>();
        for (String line : out.split("\n", -1)) {
            String[] f = line.trim().split("\\s+", -1);
            if (f.length >= 4 && "=".equals(f[2])) {
                flags.put(f[1], f[3]);
            }
        }
        return flags;
    }
}
