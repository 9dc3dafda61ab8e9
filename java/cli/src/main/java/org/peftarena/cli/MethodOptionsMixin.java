package org.peftarena.cli;

import java.util.Iterator;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.UnknownMethodException;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options that choose a PEFT method and its size, shared by {@code params} and {@code train}: the
 * method's settings are the union of the registered methods' {@link MethodOption}s, added by
 * {@link #addMethodOptions} when the command line is built.
 */
final class MethodOptionsMixin {
    @Option(names = "--method", required = true, paramLabel = "NAME", converter = MethodConverter.class,
            completionCandidates = MethodNames.class, description = "PEFT method: ${COMPLETION-CANDIDATES}.")
    PeftMethod method;

    @Option(names = "--targets", paramLabel = "MODULES",
            description = "Modules to adapt, as in HF PEFT: all-linear (the default: every linear layer of each block), "
                    + "module names (q_proj,v_proj: a path ending in one of them), or a regular expression over "
                    + "module paths (full match, e.g. '.*\\.(q|v)_proj').")
    String targets;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    PeftMethod parsedMethod() {
        return method;
    }

    /** The settings given on the command line. */
    MethodOptions options() {
        MethodOptions options = MethodOptions.DEFAULTS;
        for (MethodOption<?> o : MethodRegistry.options()) {
            OptionSpec spec = command.findOption(o.flag());
            options = spec == null ? options : with(options, o, spec.getValue());
        }
        return options;
    }

    private static <T> MethodOptions with(MethodOptions options, MethodOption<T> option, Object value) {
        return options.with(option, option.type().cast(value));
    }

    /** Adds every registered method setting to each command (and subcommand) that uses this mixin. */
    static void addMethodOptions(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.mixins().values().stream().anyMatch(m -> m.userObject() instanceof MethodOptionsMixin)) {
            for (MethodOption<?> o : MethodRegistry.options()) {
                if (spec.findOption(o.flag()) == null) {
                    spec.addOption(optionSpec(o));
                }
            }
        }
        cli.getSubcommands().values().forEach(MethodOptionsMixin::addMethodOptions);
    }

    private static OptionSpec optionSpec(MethodOption<?> o) {
        OptionSpec.Builder b = OptionSpec.builder(o.flag()).type(o.type()).paramLabel(o.paramLabel()).description(o.description());
        if (o.parser() != null) {
            b.converters(value -> {
                try {
                    return o.parser().apply(value);
                } catch (PeftException e) {
                    throw new TypeConversionException(e.getMessage());
                }
            });
        }
        return b.build();
    }

    /** Parses a method name; an unknown one is a usage error listing the known names. */
    static final class MethodConverter implements ITypeConverter<PeftMethod> {
        @Override
        public PeftMethod convert(String value) {
            try {
                return PeftMethod.parse(value);
            } catch (UnknownMethodException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The registered method names, for the help and shell completion. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return MethodRegistry.methods().stream().map(PeftMethod::cliName).iterator();
        }
    }

    TargetModules targetModules() {
        return targets == null ? TargetModules.ALL_LINEAR : TargetModules.parse(targets);
    }
}
