package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.peftarena.train.data.DataSplit;

/**
 * The embedded RL target: additions {@code "a+b="} answered by the decimal sum, in the format the
 * base model saw during pretraining, with a first operand of up to {@code maxDigitsFirst} digits and
 * a second of up to {@code maxDigitsSecond}. Problems are small enough that the base policy earns
 * a reward on some samples (RL needs a non-zero signal); each belongs to the {@link DataSplit} of
 * its prompt, so training and evaluation problems never overlap.
 *
 * @param maxDigitsFirst  digits of the first operand, 1..4
 * @param maxDigitsSecond digits of the second operand, 1..4
 */
public record ArithmeticTask(int maxDigitsFirst, int maxDigitsSecond) {
    /** Its builtin name. */
    public static final String NAME = "arithmetic";
    /** Default digits of the first operand. */
    public static final int DEFAULT_DIGITS_FIRST = 2;
    /** Default digits of the second operand. */
    public static final int DEFAULT_DIGITS_SECOND = 2;
    /** Longest completion the answer needs (digits plus EOS) with room to spare. */
    public static final int MAX_NEW_TOKENS = 6;

    /** Validates the digit counts. */
    public ArithmeticTask {
        if (maxDigitsFirst < 1 || maxDigitsFirst > 4 || maxDigitsSecond < 1 || maxDigitsSecond > 4) {
            throw new IllegalArgumentException("operand digits must lie in 1..4, got " + maxDigitsFirst + ", " + maxDigitsSecond);
        }
    }

    /** The default task. */
    public ArithmeticTask() {
        this(DEFAULT_DIGITS_FIRST, DEFAULT_DIGITS_SECOND);
    }

    /** Number of distinct problems over all splits. */
    public int space() {
        return (int) (Math.pow(10, maxDigitsFirst) * Math.pow(10, maxDigitsSecond));
    }

    /** Number of problems in a split. */
    public int count(DataSplit split) {
        return all(split).size();
    }

    /**
     * Draws {@code count} distinct problems of a split (a seeded shuffle of all its problems).
     *
     * @throws IllegalArgumentException when the split holds fewer problems
     */
    public List<RlProblem> generate(int count, long seed, DataSplit split) {
        List<RlProblem> all = all(split);
        if (count < 0 || count > all.size()) {
            throw new IllegalArgumentException("the " + split.name().toLowerCase(java.util.Locale.ROOT) + " split of " + this
                    + " holds " + all.size() + " problems, asked for " + count);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = all.size() - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            RlProblem t = all.get(i);
            all.set(i, all.get(k));
            all.set(k, t);
        }
        return List.copyOf(all.subList(0, count));
    }

    private List<RlProblem> all(DataSplit split) {
        int hiA = (int) Math.pow(10, maxDigitsFirst);
        int hiB = (int) Math.pow(10, maxDigitsSecond);
        List<RlProblem> all = new ArrayList<>();
        for (int a = 0; a < hiA; a++) {
            for (int b = 0; b < hiB; b++) {
                String prompt = a + "+" + b + "=";
                if (DataSplit.of(prompt) == split) {
                    all.add(new RlProblem(prompt, Integer.toString(a + b)));
                }
            }
        }
        return all;
    }
}
