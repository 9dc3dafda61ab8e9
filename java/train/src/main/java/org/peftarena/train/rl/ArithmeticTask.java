package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.peftarena.train.data.DataSplit;

/**
 * The embedded RL target: additions in the format the base model saw during pretraining,
 * {@code "a+b="} followed by the decimal sum, with a first operand of up to {@code maxDigitsFirst}
 * digits and a second of up to {@code maxDigitsSecond}. The policy writes {@code answerDigits} digits
 * of the sum, either its leading ones ({@link Part#LEADING}: the prompt is {@code "347+25="}, the
 * answer {@code "3"}, and a completion ends after {@code answerDigits} tokens) or its trailing ones
 * ({@link Part#TRAILING}: the prompt states the leading digits, {@code "25+23=4"}, answered by
 * {@code "8"}). A sum shorter than {@code answerDigits} is the whole answer.
 *
 * <p>The default is the sum's leading digit with a first operand of up to three digits and a second
 * of up to two. The shipped base model has not learned addition (about 1% of its sampled whole sums
 * are right, and its trailing digits are at chance), but it has partly learned that a sum begins like
 * its longer operand: at temperature 1 it writes the right leading digit about 40% of the time and
 * greedy decoding about 70%. That is a skill GRPO can sharpen within minutes; on the trailing digit,
 * where the base is at chance (10%), short GRPO runs did not raise pass@1. Each problem belongs to
 * the {@link DataSplit} of its {@code "a+b="} text, the pretraining data's split, so evaluation
 * problems never occurred in pretraining or RL training.
 *
 * @param maxDigitsFirst  digits of the first operand, 1..4
 * @param maxDigitsSecond digits of the second operand, 1..4
 * @param answerDigits    digits of the sum the policy writes, >= 1 (a shorter sum is written whole)
 * @param part            which end of the sum the policy writes
 */
public record ArithmeticTask(int maxDigitsFirst, int maxDigitsSecond, int answerDigits, Part part) {
    /** Which digits of the sum the policy writes. */
    public enum Part {
        /** The first digits: the prompt is {@code "a+b="} and a completion is at most the answer's length. */
        LEADING,
        /** The last digits: the prompt states the others after {@code "a+b="}. */
        TRAILING
    }

    /** Its builtin name. */
    public static final String NAME = "arithmetic";
    /** Default digits of the first operand. */
    public static final int DEFAULT_DIGITS_FIRST = 3;
    /** Default digits of the second operand. */
    public static final int DEFAULT_DIGITS_SECOND = 2;
    /** Default digits of the sum the policy writes. */
    public static final int DEFAULT_ANSWER_DIGITS = 1;
    /** Default end of the sum the policy writes. */
    public static final Part DEFAULT_PART = Part.LEADING;
    /** Completion length of {@link Part#TRAILING} tasks: the answer digits, EOS, and a few wrong tokens. */
    public static final int TRAILING_MAX_NEW_TOKENS = 4;

    /** Validates the digit counts. */
    public ArithmeticTask {
        if (maxDigitsFirst < 1 || maxDigitsFirst > 4 || maxDigitsSecond < 1 || maxDigitsSecond > 4 || answerDigits < 1) {
            throw new IllegalArgumentException("operand digits must lie in 1..4 and answer digits be >= 1, got "
                    + maxDigitsFirst + ", " + maxDigitsSecond + ", " + answerDigits);
        }
        Objects.requireNonNull(part, "part");
    }

    /** The default task. */
    public ArithmeticTask() {
        this(DEFAULT_DIGITS_FIRST, DEFAULT_DIGITS_SECOND, DEFAULT_ANSWER_DIGITS, DEFAULT_PART);
    }

    /**
     * Longest completion sampled in training and evaluation: the answer's digits for
     * {@link Part#LEADING} (the rest of the sum is not part of the answer), else
     * {@link #TRAILING_MAX_NEW_TOKENS}.
     */
    public int maxNewTokens() {
        return part == Part.LEADING ? answerDigits : TRAILING_MAX_NEW_TOKENS;
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
                    if (part == Part.LEADING) {
                        all.add(new RlProblem(question, sum.substring(0, Math.min(answerDigits, sum.length()))));
                    } else {
                        int stated = Math.max(0, sum.length() - answerDigits);
                        all.add(new RlProblem(question + sum.substring(0, stated), sum.substring(stated)));
                    }
                }
            }
        }
        return all;
    }
}
