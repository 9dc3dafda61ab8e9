package org.peftarena.train.rl;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Binary format check: 1 when the whole completion matches a regular expression (default: an integer), else 0. */
public final class FormatReward implements Reward {
    /** Its name. */
    public static final String NAME = "format";
    /** The default format: an optionally signed integer, nothing else. */
    public static final String INTEGER = "[+-]?\\d+";

    private final Pattern pattern;

    /** @param regex the format the whole completion must match */
    public FormatReward(String regex) {
        try {
            this.pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RlDataException("invalid format pattern '" + regex + "': " + e.getDescription(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(RlProblem problem, String completion) {
        return pattern.matcher(completion).matches() ? 1.0 : 0.0;
    }
}
