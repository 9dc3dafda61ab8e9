package org.peftarena.peft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Optional user settings of a method (unset = the method's default), keyed by {@link MethodOption};
 * a setting that does not apply to the chosen method is an error, not silently ignored.
 */
public final class MethodOptions {
    /** No settings: every method's defaults. */
    public static final MethodOptions DEFAULTS = new MethodOptions(Map.of());

    private final Map<String, Object> values;

    private MethodOptions(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** These settings with one more (a null value unsets it). */
    public <T> MethodOptions with(MethodOption<T> option, T value) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        if (value == null) {
            v.remove(option.name());
        } else {
            v.put(option.name(), option.type().cast(value));
        }
        return new MethodOptions(v);
    }

    /** The value of a setting, or null when unset. */
    public <T> T get(MethodOption<T> option) {
        return option.type().cast(values.get(option.name()));
    }

    /** The value of a setting, or {@code fallback} when unset. */
    public <T> T get(MethodOption<T> option, T fallback) {
        T v = get(option);
        return v == null ? fallback : v;
    }

    /** Whether a setting is given. */
    public boolean isSet(MethodOption<?> option) {
        return values.containsKey(option.name());
    }

    /**
     * The configuration of {@code method} with these settings applied.
     *
     * @throws PeftException if a setting does not apply to the method or is invalid
     * @throws UnknownMethodException if the method is not registered
     */
    public PeftConfig configFor(PeftMethod method) {
        PeftMethodProvider<?> provider = MethodRegistry.provider(method);
        Set<String> accepted = provider.options().stream().map(MethodOption::name).collect(Collectors.toSet());
        if (isSet(MethodOption.BLOCK_SIZE) && !accepted.contains(MethodOption.BLOCK_SIZE.name())) {
            throw new PeftException("--block-size does not apply to " + method.cliName());
        }
        if (isSet(MethodOption.RANK) && !accepted.contains(MethodOption.RANK.name())) {
            throw new PeftException("--rank does not apply to " + method.cliName()
                    + (accepted.contains(MethodOption.BLOCK_SIZE.name()) ? " (use --block-size)" : ""));
        }
        List<MethodOption<?>> known = MethodRegistry.options();
        for (MethodOption<?> o : known) {
            if (!o.isSizeKnob() && isSet(o) && !accepted.contains(o.name())) {
                throw new PeftException(o.appliesTo() + " " + andList(methodsAccepting(o.appliesTo())) + " only");
            }
        }
        for (String name : values.keySet()) {
            if (known.stream().noneMatch(o -> o.name().equals(name))) {
                throw new PeftException("--" + name + " is not an option of any registered method");
            }
        }
        return provider.configFor(this);
    }

    private static List<String> methodsAccepting(String appliesTo) {
        List<String> names = new ArrayList<>();
        for (PeftMethodProvider<?> p : MethodRegistry.providers()) {
            if (p.options().stream().anyMatch(o -> o.appliesTo().equals(appliesTo))) {
                names.add(p.method().cliName());
            }
        }
        return names;
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    private static String andList(List<String> names) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodOptions m && m.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "MethodOptions" + values;
    }
}
