package org.peftarena.analysis.weights;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.peftarena.analysis.DiagnosticInputException;

/** Selects module paths by a regular expression searched anywhere in the path. */
public final class ModulePattern implements Predicate<String> {
    /** The attention and MLP projections of a Llama-family block. */
    public static final String DEFAULT_REGEX = "_proj$";

    private final Pattern pattern;

    /**
     * @param regex a Java regular expression
     * @throws DiagnosticInputException when it does not compile
     */
    public ModulePattern(String regex) {
        try {
            this.pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new DiagnosticInputException("invalid module pattern /" + regex + "/: " + e.getDescription());
        }
    }

    @Override
    public boolean test(String module) {
        return pattern.matcher(module).find();
    }

    @Override
    public String toString() {
        return "/" + pattern.pattern() + "/";
    }
}
