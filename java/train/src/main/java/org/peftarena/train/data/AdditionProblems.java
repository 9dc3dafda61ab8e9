package org.peftarena.train.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generated addition problems ({@code "12+345="} answered by {@code "357"}), deterministic given a
 * seed; each problem belongs to the {@link DataSplit} of its prompt text, so training and
 * evaluation problems never overlap whatever seeds they were drawn with.
 */
public final class AdditionProblems {
    /** Default largest number of digits of an operand. */
    public static final int DEFAULT_MAX_DIGITS = 3;

    private final int maxDigits;

    /** One problem: prompt such as {@code "12+345="}, answer such as {@code "357"}. */
    public record Problem(String prompt, String answer) {
        /** The problem as one line of training text, {@code prompt + answer}. */
        public String text() {
            return prompt + answer;
        }
    }

    /**
     * @param maxDigits largest number of digits of an operand, 1..9 (sums stay within int)
     */
    public AdditionProblems(int maxDigits) {
        if (maxDigits < 1 || maxDigits > 9) {
            throw new IllegalArgumentException("maxDigits must be in 1..9, got " + maxDigits);
        }
        this.maxDigits = maxDigits;
    }

    /** Problems with operands of up to {@link #DEFAULT_MAX_DIGITS} digits. */
    public AdditionProblems() {
        this(DEFAULT_MAX_DIGITS);
    }

    /** Largest number of digits of an operand. */
    public int maxDigits() {
        return maxDigits;
    }

    /**
     * Draws {@code count} distinct problems of the given split.
     *
     * @param count number of problems, >= 0; must not exceed what the split can hold
     * @param seed  seed of the draw; the same seed gives the same list
     * @param split which split the problems must belong to
     */
    public List<Problem> generate(int count, long seed, DataSplit split) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        long space = (long) Math.pow(10, maxDigits);
        if ((double) count > 0.25 * space * space) {
            throw new IllegalArgumentException("too many problems (" + count + ") for " + maxDigits + " digits");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Problem> out = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        while (out.size() < count) {
            int a = operand(rnd);
            int b = operand(rnd);
            String prompt = a + "+" + b + "=";
            if (DataSplit.of(prompt) == split && seen.add(prompt)) {
                out.add(new Problem(prompt, Long.toString((long) a + b)));
            }
        }
        return out;
    }

    /** A number with a uniformly drawn digit count 1..maxDigits, uniform within that count. */
    private int operand(SplittableRandom rnd) {
        int digits = 1 + rnd.nextInt(maxDigits);
        int lo = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
        int hi = (int) Math.pow(10, digits);
        return lo + rnd.nextInt(hi - lo);
    }
}
