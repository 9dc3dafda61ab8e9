package org.peftarena.arena.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.peftarena.peft.PeftMethod;
import org.peftarena.train.rl.RlDefaultLearningRates;
import org.peftarena.train.sft.DefaultLearningRates;

/**
 * How the runs of an arena grid are trained: supervised finetuning on the target's data,
 * reinforcement learning with a verifiable reward (GRPO) on a target of kind {@code rl}, or both in
 * one grid (each target in the regime its kind calls for).
 */
public enum Regime {
    /** Supervised finetuning (loss on response tokens). */
    SFT,
    /** GRPO with the exact-match reward of the final answer. */
    RL,
    /** Both regimes in one grid: targets of kind {@code rl} are trained with GRPO, the others supervised. */
    BOTH;

    /** Config key of the regime. */
    public static final String KEY = "regime";

    /** The name used in config files and reports. */
    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws ArenaConfigException naming the key and the accepted values
     */
    @JsonCreator
    public static Regime parse(String s) {
        for (Regime r : values()) {
            if (r.configName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new ArenaConfigException(KEY + " must be 'sft', 'rl' or 'both', got '" + s + "'");
    }

    /**
     * The regime a target's runs are trained in: {@link #BOTH} picks by the target's kind, the
     * others are their own (the planner rejects a target whose kind does not fit).
     *
     * @param rlTask whether the target is of kind {@code rl}
     */
    public Regime forTarget(boolean rlTask) {
        if (this == BOTH) {
            return rlTask ? RL : SFT;
        }
        return this;
    }

    /**
     * The engine's default peak learning rate of a method in this regime on a small model.
     *
     * @throws IllegalStateException for {@link #BOTH}: ask {@link #forTarget} first
     */
    public double defaultLearningRate(PeftMethod method) {
        if (this == BOTH) {
            throw new IllegalStateException("a grid of both regimes has no single default learning rate; resolve the target's regime first");
        }
        return this == RL ? RlDefaultLearningRates.forMethod(method) : DefaultLearningRates.forMethod(method);
    }
}
