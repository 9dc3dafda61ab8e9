package org.peftarena.train.rl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The rewards users select by name; the first is the default. */
public final class Rewards {
    private static final Map<String, Supplier<Reward>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(ExactMatchReward.NAME, ExactMatchReward::new);
        BY_NAME.put(FormatReward.NAME, () -> new FormatReward(FormatReward.INTEGER));
    }

    private Rewards() {}

    /** Name of the default reward. */
    public static String defaultName() {
        return BY_NAME.keySet().iterator().next();
    }

    /** The names known, default first. */
    public static Iterable<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * @throws RlDataException for an unknown name, listing the known ones
     */
    public static Reward named(String name) {
        Supplier<Reward> s = BY_NAME.get(name);
        if (s == null) {
            throw new RlDataException("unknown reward '" + name + "'; known: " + String.join(", ", BY_NAME.keySet()));
        }
        return s.get();
    }

    /**
     * Scores a completion, turning a reward's failure into a {@link RewardException} naming it and the problem.
     */
    public static double checkedScore(Reward reward, RlProblem problem, String completion) {
        double r;
        try {
            r = reward.score(problem, completion);
        } catch (RuntimeException e) {
            throw new RewardException("reward '" + reward.name() + "' failed on prompt '" + problem.prompt()
                    + "' and completion '" + completion + "': " + e, e);
        }
        if (!Double.isFinite(r)) {
            throw new RewardException("reward '" + reward.name() + "' returned " + r + " for prompt '" + problem.prompt()
                    + "' and completion '" + completion + "'");
        }
        return r;
    }
}
