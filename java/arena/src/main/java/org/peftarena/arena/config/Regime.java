package org.peftarena.arena.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.peftarena.peft.PeftMethod;
import org.peftarena.train.rl.RlDefaultLearningRates;
import org.peftarena.train.sft.DefaultLearningRates;

/**
 * How the runs of an arena grid are trained: supervised finetuning on the target's data, or
 * reinforcement learning with a verifiable reward (GRPO) on a target of kind {@code rl}.
 */
public enum Regime {
    /** Supervised finetuning (loss on response tokens). */
    SFT,
    /** GRPO with the exact-match reward of the final answer. */
    RL;

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
        throw new ArenaConfigException(KEY + " must be 'sft' or 'rl', got '" + s + "'");
    }

    /** The engine's default peak learning rate of a method in this regime on a small model. */
    public double defaultLearningRate(PeftMethod method) {
        return this == RL ? RlDefaultLearningRates.forMethod(method) : DefaultLearningRates.forMethod(method);
    }
}
