package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.train.sft.SftBatches;

/** The prompts of each rollout step: a fresh seeded permutation per epoch, so step {@code s}'s prompts depend only on the seed and s. */
final class PromptOrder {
    private final List<RlProblem> problems;
    private final int batch;
    private final long seed;
    private final Map<Long, int[]> permutations = new HashMap<>();

    PromptOrder(List<RlProblem> problems, int batch, long seed) {
        if (problems.isEmpty()) {
            throw new RlDataException("no RL problems to train on");
        }
        this.problems = List.copyOf(problems);
        this.batch = batch;
        this.seed = seed;
    }

    List<RlProblem> step(long s) {
        List<RlProblem> out = new ArrayList<>(batch);
        for (int j = 0; j < batch; j++) {
            long g = s * batch + j;
            out.add(problems.get(permutation(g / problems.size())[(int) (g % problems.size())]));
        }
        return out;
    }

    String describe() {
        return "problems=" + problems.size() + " first=" + problems.get(0) + " data-seed=" + seed;
    }

    private int[] permutation(long epoch) {
        return permutations.computeIfAbsent(epoch, e -> SftBatches.epochOrder(problems.size(), seed, e));
    }
}
