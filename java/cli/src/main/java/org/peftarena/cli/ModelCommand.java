package org.peftarena.cli;

import picocli.CommandLine.Command;

/** Groups model inspection subcommands ({@code info}). */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Inspect Hugging Face model directories.",
        subcommands = {ModelInfoCommand.class})
final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
