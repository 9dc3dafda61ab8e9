package org.peftarena.train.rl;

import java.math.BigDecimal;

/**
 * The final answer of a completion and its comparison with a reference: the last
 * whitespace-separated word of the trimmed text; two answers that both read as decimal numbers are
 * equal when their values are ({@code "7.0"} equals {@code "7"}), others when their text is.
 */
public final class FinalAnswer {
    private FinalAnswer() {}

    /** The last word of the trimmed text, or "" for blank text. */
    public static String of(String completion) {
        String t = completion.strip();
        if (t.isEmpty()) {
            return "";
        }
        String[] words = t.split("\\s+", -1);
        return words[words.length - 1];
    }

    /** Whether two answers are equal, as numbers where both are numbers. */
    public static boolean equal(String answer, String reference) {
        BigDecimal a = number(answer);
        BigDecimal r = number(reference.strip());
        if (a != null && r != null) {
            return a.compareTo(r) == 0;
        }
        return answer.equals(reference.strip());
    }

    private static BigDecimal number(String s) {
        if (!s.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return null;
        }
        return new BigDecimal(s);
    }
}
