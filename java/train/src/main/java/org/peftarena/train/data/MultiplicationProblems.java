package org.peftarena.train.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generated multiplication problems ({@code "12*7="} answered by {@code "84"}), the {@code arith}
 * target; deterministic given a seed, and each problem belongs to the {@link DataSplit} of its
 * prompt, so training and test problems never overlap whatever seeds drew them.
 */
public final class MultiplicationProblems {
    /** Default largest digit count of the first operand. */
    public static final int DEFAULT_LEFT_DIGITS = 2;
    /** Default largest digit count of the second operand. */
    public static final int DEFAULT_RIGHT_DIGITS = 1;

    /** Problem spaces up to this size are enumerated rather than sampled. */
    static final long ENUMERATION_LIMIT = 1_000_000;

    private final int leftDigits;
    private final int rightDigits;

    /**
     * @param leftDigits  largest digit count of the first operand, 1..4
     * @param rightDigits largest digit count of the second operand, 1..4
     */
    public MultiplicationProblems(int leftDigits, int rightDigits) {
        if (leftDigits < 1 || leftDigits > 4 || rightDigits < 1 || rightDigits > 4) {
            throw new IllegalArgumentException("operand digit counts must be in 1..4, got " + leftDigits + ", "
                    + rightDigits);
        }
        this.leftDigits = leftDigits;
        this.rightDigits = rightDigits;
    }

    /** Problems with the default operand sizes (two digits times one digit). */
    public MultiplicationProblems() {
        this(DEFAULT_LEFT_DIGITS, DEFAULT_RIGHT_DIGITS);
    }

    /** Number of distinct prompts these operand sizes allow. */
    public long distinctProblems() {
        return (long) Math.pow(10, leftDigits) * (long) Math.pow(10, rightDigits);
    }

    /**
     * Draws {@code count} distinct problems of one split: small problem spaces are enumerated
     * and shuffled (so a split can be used up completely), large ones sampled.
     *
     * @param count number of problems, >= 0, at most the number the split holds
     * @param seed  seed of the draw
     * @param split the split every problem must belong to
     */
    public List<PromptResponse> generate(int count, long seed, DataSplit split) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        return distinctProblems() <= ENUMERATION_LIMIT ? enumerate(count, rnd, split) : sample(count, rnd, split);
    }

    /**
     * Every problem of one split, shuffled by the seed.
     *
     * @throws IllegalArgumentException when the problem space is too large to enumerate
     */
    public List<PromptResponse> all(long seed, DataSplit split) {
        if (distinctProblems() > ENUMERATION_LIMIT) {
            throw new IllegalArgumentException(distinctProblems() + " problems are too many to enumerate");
        }
        return enumerate(-1, new SplittableRandom(seed), split);
    }

    private List<PromptResponse> enumerate(int count, SplittableRandom rnd, DataSplit split) {
        List<PromptResponse> members = new ArrayList<>();
        int left = (int) Math.pow(10, leftDigits);
        int right = (int) Math.pow(10, rightDigits);
        for (int a = 0; a < left; a++) {
            for (int b = 0; b < right; b++) {
                String prompt = a + "*" + b + "=";
                if (DataSplit.of(prompt) == split) {
                    members.add(new PromptResponse(prompt, Long.toString((long) a * b)));
                }
            }
        }
        if (count < 0) {
            count = members.size();
        }
        if (count > members.size()) {
            throw new IllegalArgumentException("cannot draw " + count + " " + split + " problems: the split holds "
                    + members.size() + " (use more digits)");
        }
        for (int i = members.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            PromptResponse t = members.get(i);
            members.set(i, members.get(j));
            members.set(j, t);
        }
        return new ArrayList<>(members.subList(0, count));
    }

    private List<PromptResponse> sample(int count, SplittableRandom rnd, DataSplit split) {
        if (count > distinctProblems() / 100) {
            throw new IllegalArgumentException("cannot sample " + count + " distinct problems from "
                    + distinctProblems());
        }
        List<PromptResponse> out = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        while (out.size() < count) {
            int a = rnd.nextInt((int) Math.pow(10, leftDigits));
            int b = rnd.nextInt((int) Math.pow(10, rightDigits));
            String prompt = a + "*" + b + "=";
            if (DataSplit.of(prompt) == split && seen.add(prompt)) {
                out.add(new PromptResponse(prompt, Long.toString((long) a * b)));
            }
        }
        return out;
    }
}
