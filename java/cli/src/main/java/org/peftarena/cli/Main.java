package org.peftarena.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code peft-arena} command line.
 *
 * <p>Exit codes: 0 success, 1 failure, 2 usage error, 143 stopped by SIGTERM. Only this module prints or exits.
 */
@Command(
        name = "peft-arena",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measures parameter-efficient finetuning on plasticity and stability at once.",
        subcommands = {
            ArenaCommand.class,
            ReportCommand.class,
            ImportScoresCommand.class,
            TrainCommand.class,
            MergeCommand.class,
            ParamsCommand.class,
            AnalyzeCommand.class,
            InterpolateCommand.class,
            RewindCommand.class,
            ModelCommand.class,
            GenerateCommand.class,
            PretrainCommand.class,
            DoctorCommand.class,
            KernelsCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code of a failed command. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit code after SIGTERM (128 + 15): training stopped at a step boundary and saved a checkpoint. */
    public static final int EXIT_TERMINATED = 143;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code -v}: more log lines (the levels themselves are set from the arguments before parsing). */
    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "More log lines: debug lines of peft-arena, info lines of libraries.")
    void verbose(boolean on) {
        if (on) {
            Verbosity.configure(new String[] {"--verbose"});
        }
    }

    /** {@code -q}: warnings and errors only, no progress. */
    @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Only warnings and errors: no progress bars or info lines.")
    void quiet(boolean on) {
        if (on) {
            Verbosity.configure(new String[] {"--quiet"});
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the configured command line (used by {@link #main} and by tests). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        MethodOptionsMixin.addMethodOptions(cli);
        shareVersion(cli, new VersionProvider());
        // option values are written in lowercase everywhere (as in the arena config); enums accept them
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new FailureHandler());
        return cli;
    }

    /** Every subcommand's {@code --version} prints the tool's version, as the top command's does. */
    private static void shareVersion(CommandLine cli, VersionProvider version) {
        if (cli.getCommandSpec().versionProvider() == null) {
            cli.getCommandSpec().versionProvider(version);
        }
        cli.getSubcommands().values().forEach(sub -> shareVersion(sub, version));
    }

    public static void main(String[] args) {
        // numbers print alike on every machine: a German default locale would write 1.624.320 and 0,5
        Locale.setDefault(Locale.ROOT);
        Verbosity.configure(args); // before any logger exists
        ShutdownCoordinator.install();
        int code = commandLine().execute(args);
        boolean terminating = ShutdownCoordinator.terminating();
        ShutdownCoordinator.finished();
        if (!terminating) {
            System.exit(code);
        }
        // during shutdown System.exit would block; the hook halts with EXIT_TERMINATED
    }
}
