package org.peftarena.cli;

import picocli.CommandLine.Command;

/** Groups the kernel subcommands ({@code bench}). */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Native kernel tools.",
        subcommands = {KernelsBenchCommand.class})
final class KernelsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
