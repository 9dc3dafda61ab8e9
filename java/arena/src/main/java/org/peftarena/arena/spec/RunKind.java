package org.peftarena.arena.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a run does: score the base model, finetune it with a method, or stand for scores computed elsewhere. */
public enum RunKind {
    /** Evaluate the untouched base model (the reference of Forget and Gain). */
    BASE,
    /** Finetune with one method, then evaluate. */
    FINETUNE,
    /** Scores imported from an external evaluator; nothing runs here. */
    EXTERNAL;

    /** Lower-case name used in files and the registry. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()}. */
    public static RunKind parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
