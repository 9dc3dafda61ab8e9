package org.peftarena.arena.exec.slurm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Slurm client commands ({@code sbatch}, {@code squeue}, {@code scancel}) found on the
 * {@code PATH} (or in one folder, for tests) and turns a missing command or a failure into a
 * {@link SlurmException} carrying what the command printed.
 */
public final class SlurmCommands {
    /** What to install when the commands are missing. */
    public static final String PACKAGES = "the Slurm client commands (Debian/Ubuntu package slurm-client, "
            + "RHEL/Rocky/Fedora package slurm; or run on the cluster's login node)";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path binDir;

    private SlurmCommands(Path binDir) {
        this.binDir = binDir;
    }

    /** The commands on this process's {@code PATH}. */
    public static SlurmCommands onPath() {
        return new SlurmCommands(null);
    }

    /** The commands in one folder (fake ones in tests). */
    public static SlurmCommands in(Path binDir) {
        return new SlurmCommands(binDir);
    }

    /** The executable of a command, or a clear error naming the packages when it is missing. */
    Path locate(String command) throws SlurmException {
        List<Path> dirs = new ArrayList<>();
        if (binDir != null) {
            dirs.add(binDir);
        } else {
            String path = System.getenv("PATH");
            for (String d : (path == null ? "" : path).split(File.pathSeparator, 0)) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (Path d : dirs) {
            Path p = d.resolve(command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new SlurmException("'" + command + "' was not found on the PATH; the slurm executor needs " + PACKAGES);
    }

    /**
     * Runs a command and returns its standard output.
     *
     * @throws SlurmException when it is missing, fails (non-zero exit, with its error output) or hangs
     */
    public String run(String command, List<String> args) throws SlurmException {
        List<String> cmd = new ArrayList<>();
        cmd.add(locate(command).toString());
        cmd.addAll(args);
        Path err = null;
        try {
            err = Files.createTempFile("peft-arena-" + command, ".err");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            p.getOutputStream().close(); // no input
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SlurmException(command + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String msg = Files.readString(err, StandardCharsets.UTF_8).strip();
                if (msg.isEmpty()) {
                    msg = out.strip();
                }
                throw new SlurmException(command + " failed (exit " + p.exitValue() + "): "
                        + (msg.isEmpty() ? "no message" : msg));
            }
            return out;
        } catch (IOException e) {
            if (e instanceof SlurmException s) {
                throw s;
            }
            throw new SlurmException("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException(command + " was interrupted");
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
