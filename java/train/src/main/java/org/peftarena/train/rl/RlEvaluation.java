package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.model.LlamaModel;

/**
 * Scores a policy on RL problems: greedy accuracy, and pass@k for each k from {@code n} sampled
 * completions per problem (the unbiased estimator, averaged over problems). A completion is
 * correct when its reward is at least 1.
 */
public final class RlEvaluation {
    private final int problemsPerBatch;

    /**
     * The scores.
     *
     * @param greedy  percent of problems whose greedy completion is correct
     * @param passAtK k to percent of problems solved within k samples (estimated)
     * @param samples samples drawn per problem
     * @param problems problems scored
     * @param greedyCorrect  per problem, 1 when its greedy completion is correct, else 0
     * @param sampledCorrect per problem, how many of its {@code samples} completions are correct
     */
    public record Scores(double greedy, Map<Integer, Double> passAtK, int samples, int problems, List<Integer> greedyCorrect,
                         List<Integer> sampledCorrect) {
        /** Copies the per-problem lists. */
        public Scores {
            greedyCorrect = List.copyOf(greedyCorrect);
            sampledCorrect = List.copyOf(sampledCorrect);
        }

        /**
         * Standard error of pass@1 (percent) over the problems: the sample standard deviation of the
         * per-problem estimates {@code c_i / samples} divided by the square root of the problem count
         * (the sampling noise within a problem is part of that spread); NaN for fewer than two problems.
         */
        public double passAtOneStandardError() {
            int m = sampledCorrect.size();
            if (m < 2 || samples < 1) {
                return Double.NaN;
            }
            double mean = 0;
            for (int c : sampledCorrect) {
                mean += (double) c / samples;
            }
            mean /= m;
            double ss = 0;
            for (int c : sampledCorrect) {
                double d = (double) c / samples - mean;
                ss += d * d;
            }
            return 100.0 * Math.sqrt(ss / (m - 1) / m);
        }

        /** The estimate for one k. */
        public double passAt(int k) {
            Double v = passAtK.get(k);
            if (v == null) {
                throw new IllegalArgumentException("pass@" + k + " was not computed; have " + passAtK.keySet());
            }
            return v;
        }
    }

    /** @param problemsPerBatch problems sampled together (times the samples per problem rows), >= 1 */
    public RlEvaluation(int problemsPerBatch) {
        if (problemsPerBatch < 1) {
            throw new IllegalArgumentException("problems per batch must be >= 1");
        }
        this.problemsPerBatch = problemsPerBatch;
    }

    /**
     * @param model    the policy
     * @param problems the problems
     * @param reward   decides correctness (reward >= 1)
     * @param sampling length and temperature of the sampled completions (greedy uses the same length)
     * @param samples  completions per problem, >= the largest k
     * @param ks       the budgets k
     * @param seed     sampling seed
     */
    public Scores evaluate(LlamaModel model, TextTokenizer tokenizer, List<RlProblem> problems, Reward reward,
                           SamplingOptions sampling, int samples, int[] ks, long seed) {
        for (int k : ks) {
            if (k < 1 || k > samples) {
                throw new IllegalArgumentException("pass@" + k + " needs 1 <= k <= samples (" + samples + ")");
            }
        }
        RolloutSampler sampler = new RolloutSampler(model, tokenizer);
        int greedyCorrect = 0;
        List<Integer> greedyPer = new ArrayList<>(problems.size());
        List<Integer> sampledPer = new ArrayList<>(problems.size());
        double[] sums = new double[ks.length];
        for (int i = 0; i < problems.size(); i += problemsPerBatch) {
            List<RlProblem> batch = new ArrayList<>(problems.subList(i, Math.min(problems.size(), i + problemsPerBatch)));
            for (Rollout r : sampler.sample(batch, 1, sampling.greedy(), seed, reward, null)) {
                int ok = r.reward() >= 1.0 ? 1 : 0;
                greedyCorrect += ok;
                greedyPer.add(ok);
            }
            List<Rollout> sampled = sampler.sample(batch, samples, sampling, seed + 1000003L * (i + 1), reward, null);
            for (int g = 0; g < batch.size(); g++) {
                int c = 0;
                for (int j = 0; j < samples; j++) {
                    c += sampled.get(g * samples + j).reward() >= 1.0 ? 1 : 0;
                }
                sampledPer.add(c);
                for (int q = 0; q < ks.length; q++) {
                    sums[q] += PassAtK.estimate(samples, c, ks[q]);
                }
            }
        }
        Map<Integer, Double> pass = new LinkedHashMap<>();
        for (int q = 0; q < ks.length; q++) {
            pass.put(ks[q], problems.isEmpty() ? 0 : 100.0 * sums[q] / problems.size());
        }
        return new Scores(problems.isEmpty() ? 0 : 100.0 * greedyCorrect / problems.size(), pass, samples, problems.size(),
                greedyPer, sampledPer);
    }
}
