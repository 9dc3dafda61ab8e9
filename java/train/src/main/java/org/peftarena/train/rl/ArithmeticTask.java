package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.peftarena.train.data.DataSplit;

/**
 * The embedded RL target: additions in the format the base model saw during pretraining,
 * {@code "a+b="} followed by the decimal sum, with a first operand of up to {@code maxDigitsFirst}
 * digits and a second of up to {@code maxDigitsSecond}. The prompt states the sum's leading
 * digits and the policy completes its last {@code answerDigits} ({@code "25+23=4"} answered by
 * {@code "8"}): the shipped base model has not learned addition (about 1% of its sampled full
 * sums are right), so on whole sums nearly every GRPO group has zero reward variance and no
 * signal; completing the last digit gives it a reward on enough samples to learn from. Each
 * problem belongs to the {@link DataSplit} of its {@code "a+b="} text, the pretraining data's
 * split, so evaluation problems never occurred in pretraining or RL training.
 *
 * @param maxDigitsFirst  digits of the first operand, 1..4
 * @param maxDigitsSecond digits of the second operand, 1..4
 * @param answerDigits    trailing digits of the sum the policy writes, >= 1 (a shorter sum is written whole)
 */
public record ArithmeticTask(int maxDigitsFirst, int maxDigitsSecond, int answerDigits) {
    /** Its builtin name. */
    public static final String NAME = "arithmetic";
    /** Default digits of the first operand. */
    public static final int DEFAULT_DIGITS_FIRST = 2;
    /** Default digits of the second operand. */
    public static final int DEFAULT_DIGITS_SECOND = 2;
    /** Default trailing digits of the sum the policy writes. */
    public static final int DEFAULT_ANSWER_DIGITS = 1;
    /** Completion length that leaves room for the answer digits, EOS, and a few wrong tokens. */
    public static final int MAX_NEW_TOKENS = 4;

    /** Validates the digit counts. */
    public ArithmeticTask {
        if (maxDigitsFirst < 1 || maxDigitsFirst > 4 || maxDigitsSecond < 1 || maxDigitsSecond > 4 || answerDigits < 1) {
            throw new IllegalArgumentException("operand digits must lie in 1..4 and answer digits be >= 1, got "
                    + maxDigitsFirst + ", " + maxDigitsSecond + ", " + answerDigits);
        }
    }

    /** The default task. */
    public ArithmeticTask() {
        this(DEFAULT_DIGITS_FIRST, DEFAULT_DIGITS_SECOND, DEFAULT_ANSWER_DIGITS);
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
                String question = a + "+" + b + "=";
                if (DataSplit.of(question) == split) {
                    String sum = Integer.toString(a + b);
                    int stated = Math.max(0, sum.length() - answerDigits);
                    all.add(new RlProblem(question + sum.substring(0, stated), sum.substring(stated)));
                }
            }
        }
        return all;
    }
}
