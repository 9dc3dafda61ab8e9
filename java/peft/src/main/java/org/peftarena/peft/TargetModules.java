package org.peftarena.peft;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which linear layers an adapter targets, with Hugging Face PEFT's two semantics: a list of names
 * (a module matches when its path equals a name or ends with {@code "." + name}) or one regular
 * expression that must match the whole module path.
 *
 * @param names the module names (list form), empty in regex form
 * @param regex the regular expression (regex form), null in list form
 */
public record TargetModules(List<String> names, String regex) {
    /** Every linear layer of a Llama-family block. */
    public static final TargetModules ALL_LINEAR = ofNames(List.of(
            "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"));

    public TargetModules {
        names = names == null ? List.of() : List.copyOf(names);
        if (regex == null && names.isEmpty()) {
            throw new PeftException("target modules: give module names or a regular expression");
        }
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new PeftException("target modules: invalid regular expression '" + regex + "': " + e.getDescription(), e);
            }
        }
    }

    /** List form. */
    public static TargetModules ofNames(List<String> names) {
        return new TargetModules(names, null);
    }

    /** The command-line spelling of {@link #ALL_LINEAR}, as in Hugging Face PEFT. */
    public static final String ALL_LINEAR_NAME = "all-linear";

    private static final Pattern NAME_LIST = Pattern.compile("[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*");

    /**
     * Parses the forms Hugging Face PEFT users write: {@code all-linear}, a comma-separated list of
     * module names ({@code q_proj,v_proj}; spaces around names are ignored), or else a regular
     * expression that must match the whole module path ({@code .*\.(q|v)_proj}).
     *
     * @throws PeftException for an empty text or an invalid regular expression
     */
    public static TargetModules parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new PeftException("target modules: give all-linear, module names (q_proj,v_proj) or a regular expression");
        }
        if (t.equals(ALL_LINEAR_NAME)) {
            return ALL_LINEAR;
        }
        String compact = t.replaceAll("\\s*,\\s*", ",");
        if (NAME_LIST.matcher(compact).matches()) {
            return ofNames(List.of(compact.split(",", -1)));
        }
        return ofRegex(t);
    }

    /** Regex form (full match against the module path). */
    public static TargetModules ofRegex(String regex) {
        return new TargetModules(List.of(), regex);
    }

    /** Whether the module at {@code path} (e.g. {@code model.layers.0.self_attn.q_proj}) is targeted. */
    public boolean matches(String path) {
        if (regex != null) {
            return Pattern.compile(regex).matcher(path).matches();
        }
        for (String n : names) {
            if (path.equals(n) || path.endsWith("." + n)) {
                return true;
            }
        }
        return false;
    }
}
