package org.peftarena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Stack;
import org.peftarena.formats.io.AtomicFiles;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option every command shares: {@code --json} alone prints one JSON document to
 * stdout and nothing else there; {@code --json FILE} (a name ending in {@code .json}, or {@code -}
 * for stdout) writes the document to FILE and keeps the text output. Values are typed (numbers,
 * booleans, objects), unknown ones {@code null}.
 */
final class JsonOutput {
    /** The value that means stdout. */
    static final String STDOUT = "-";

    @Option(names = "--json", arity = "0..1", paramLabel = "FILE", parameterConsumer = FileConsumer.class,
            description = "Print one JSON document to stdout instead of text; with FILE (ending in .json) write it "
                    + "there and keep the text.")
    String target;

    /** Whether a JSON document was asked for. */
    boolean enabled() {
        return target != null;
    }

    /** Whether the text output is to be left out (the document goes to stdout). */
    boolean replacesText() {
        return STDOUT.equals(target);
    }

    /** Writes the document where it was asked for; nothing when it was not. */
    void emit(PrintWriter out, Object document) throws IOException {
        if (target == null) {
            return;
        }
        String text = Json.object(document);
        if (replacesText()) {
            out.println(text);
            out.flush();
        } else {
            AtomicFiles.write(Path.of(target), (text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Takes the next argument as FILE only when it names a JSON file (or is {@code -}), so {@code --json DIR} keeps DIR. */
    static final class FileConsumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String value = STDOUT;
            if (!args.isEmpty() && (args.peek().equals(STDOUT) || args.peek().endsWith(".json"))) {
                value = args.pop();
            }
            argSpec.setValue(value);
        }
    }
}
