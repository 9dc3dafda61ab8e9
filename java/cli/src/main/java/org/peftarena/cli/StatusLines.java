package org.peftarena.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The error stream shared by progress bars and log lines. On a terminal the bars are redrawn in
 * place, each cut to the terminal's width so none wraps (a wrapped line would leave a copy behind
 * on every redraw), and a line printed meanwhile (a message, or an SLF4J line routed here by
 * {@link #routeSystemErr}) goes above them; elsewhere the bars are not drawn and lines are printed
 * as they come, with no carriage returns or escape codes.
 */
final class StatusLines {
    /** Width assumed when the terminal does not tell. */
    static final int DEFAULT_WIDTH = 80;

    private final PrintWriter err;
    private final boolean terminal;
    private final int width;
    private List<String> shown = List.of();

    /**
     * @param err      where to write
     * @param terminal whether {@code err} is a terminal (bars redrawn in place)
     * @param width    the terminal's columns
     */
    StatusLines(PrintWriter err, boolean terminal, int width) {
        this.err = err;
        this.terminal = terminal;
        this.width = Math.max(20, width);
    }

    /** Whether bars are drawn. */
    boolean terminal() {
        return terminal;
    }

    /** The columns a bar line may use (one less than the terminal's, so the cursor never wraps). */
    int columns() {
        return width - 1;
    }

    /** Replaces the bars on a terminal (nothing elsewhere); an empty list removes them. */
    synchronized void show(List<String> lines) {
        if (!terminal) {
            return;
        }
        erase();
        List<String> fitted = lines.stream().map(this::fit).toList();
        err.print(String.join("\n", fitted));
        err.flush();
        shown = fitted;
    }

    /** Prints a line above the bars (or just the line when there are none). */
    synchronized void println(String line) {
        List<String> bars = shown;
        erase();
        err.println(line);
        err.flush();
        if (!bars.isEmpty()) {
            err.print(String.join("\n", bars));
            err.flush();
            shown = bars;
        }
    }

    /** Removes the bars. */
    synchronized void clear() {
        erase();
        err.flush();
    }

    private void erase() {
        if (shown.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("\r\033[2K");
        for (int i = 1; i < shown.size(); i++) {
            sb.append("\033[1A\r\033[2K");
        }
        err.print(sb);
        shown = List.of();
    }

    private String fit(String line) {
        int max = columns();
        return line.length() <= max ? line : line.substring(0, max - 1) + "~";
    }

    /**
     * Sends every complete line written to {@code System.err} meanwhile (SLF4J's among them) through
     * {@link #println}, so no log line cuts into a bar; closing restores {@code System.err}.
     */
    AutoCloseable routeSystemErr() {
        PrintStream original = System.err;
        LineSink sink = new LineSink();
        PrintStream routed = new PrintStream(sink, true, StandardCharsets.UTF_8);
        System.setErr(routed);
        return () -> {
            routed.flush();
            sink.flushPartial();
            System.setErr(original);
        };
    }

    /** Collects bytes into lines and hands each complete one to {@link #println}. */
    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                emit();
            } else {
                buf.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void emit() {
            String line = buf.toString(StandardCharsets.UTF_8);
            buf.reset();
            println(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }

        synchronized void flushPartial() {
            if (buf.size() > 0) {
                emit();
            }
        }
    }

    /** Whether this process's standard error is a terminal (Linux: what fd 2 points at). */
    @SuppressWarnings("SystemConsoleNull") // on Java 17, console() is null when there is no terminal
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** The terminal's columns: {@code $COLUMNS}, else what {@code stty} reports, else {@value #DEFAULT_WIDTH}. */
    static int terminalWidth() {
        String env = System.getenv("COLUMNS");
        if (env != null && env.trim().matches("\\d{1,4}")) {
            return Integer.parseInt(env.trim());
        }
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty 2>/dev/null")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("\\d+ \\d+")) {
                int cols = Integer.parseInt(out.substring(out.indexOf(' ') + 1));
                return cols > 0 ? cols : DEFAULT_WIDTH;
            }
        } catch (IOException e) {
            return DEFAULT_WIDTH;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_WIDTH;
    }
}
