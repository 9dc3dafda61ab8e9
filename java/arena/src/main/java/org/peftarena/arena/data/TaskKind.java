package org.peftarena.arena.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whether a task is plain text (next-token scores), prompt/response problems (exact match), or
 * problems with a verifiable reward (the target of RL runs: greedy exact match and pass@k).
 */
public enum TaskKind {
    /** Documents; trained with the loss on every token, scored by next-token accuracy and bits per token. */
    TEXT,
    /** Prompt/response pairs; trained with the loss on the response, scored by exact match. */
    PROBLEMS,
    /** Prompt/answer pairs with a verifiable reward: trained by GRPO, scored by greedy exact match and pass@k. */
    RL;

    /** The name used in config files. */
    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static TaskKind parse(String s) {
        for (TaskKind k : values()) {
            if (k.configName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("task kind must be 'text', 'problems' or 'rl', got '" + s + "'");
    }
}
