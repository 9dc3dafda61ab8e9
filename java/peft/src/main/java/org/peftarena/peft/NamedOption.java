package org.peftarena.peft;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** A choice known by a lower-case command-line name, with the one lookup every such choice uses. */
public interface NamedOption {
    /** The name used on the command line and in reports. */
    String cliName();

    /** The value whose name is {@code name} (trimmed, case-insensitive), if any. */
    static <T extends NamedOption> Optional<T> find(String name, Iterable<T> values) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (T v : values) {
            if (v.cliName().equals(n)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Looks a value up by name.
     *
     * @param what what the values are, for the message ({@code "path"} gives {@code unknown path 'x'; known: ...})
     * @param error makes the exception from the message
     */
    static <T extends NamedOption, E extends RuntimeException> T parse(String name, Iterable<T> values, String what,
            Function<String, E> error) {
        return find(name, values).orElseThrow(() -> error.apply("unknown " + what + " '" + name + "'; known: " + names(values)));
    }

    /** {@link #parse(String, Iterable, String, Function)} over an enum's constants. */
    static <T extends NamedOption, E extends RuntimeException> T parse(String name, T[] values, String what,
            Function<String, E> error) {
        return parse(name, Arrays.asList(values), what, error);
    }

    /** The names, comma separated, in order. */
    static String names(Iterable<? extends NamedOption> values) {
        return StreamSupport.stream(values.spliterator(), false).map(NamedOption::cliName).collect(Collectors.joining(", "));
    }

    /** {@link #names(Iterable)} of an enum's constants. */
    static String names(NamedOption[] values) {
        return names(List.of(values));
    }
}
