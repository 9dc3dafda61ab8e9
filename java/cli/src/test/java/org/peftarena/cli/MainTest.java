package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsCommandsAndExitsZero() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("doctor"), r.out());
        assertTrue(r.out().contains("help"), r.out());
    }

    @Test
    void unknownOptionIsUsageError() {
        CliRunner r = CliRunner.run("--no-such-option");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
    }

    @Test
    void doctorReportsLoadedLibraryAndKernelPath() {
        CliRunner r = CliRunner.run("doctor", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"native_library\" : true"), r.out());
        assertTrue(r.out().contains("\"cpu_kernel_path\""), r.out());
        assertTrue(r.out().contains("\"cuda_devices\""), r.out());
    }
}
