package org.peftarena.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the geometry diagnostics: weight space, activation space and capability drift. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Geometry diagnostics of a finetuned model against its base.",
        subcommands = {AnalyzeWeightsCommand.class, AnalyzeActivationsCommand.class, AnalyzeDriftCommand.class})
final class AnalyzeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose one of: weights, activations, drift");
    }
}
