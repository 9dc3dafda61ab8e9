package org.peftarena.peft.ia3;

import java.util.List;
import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * (IA)^3: one learned vector per layer that scales its output ({@code out} entries), or its input
 * ({@code in} entries) for the feed-forward layers named here.
 *
 * @param feedforwardModules short names of layers whose input is scaled
 */
public record Ia3Config(List<String> feedforwardModules) implements PeftConfig {
    /** HF PEFT's Llama default: the MLP's down projection scales its input. */
    public static final List<String> DEFAULT_FEEDFORWARD = List.of("down_proj");

    public Ia3Config {
        feedforwardModules = List.copyOf(feedforwardModules);
    }

    /** The HF PEFT Llama default. */
    public Ia3Config() {
        this(DEFAULT_FEEDFORWARD);
    }

    /** Whether the layer scales its input rather than its output. */
    public boolean isFeedforward(LinearShape m) {
        return feedforwardModules.contains(m.shortName()) || feedforwardModules.contains(m.name());
    }

    @Override
    public PeftMethod method() {
        return Ia3Method.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        return isFeedforward(m) ? m.in() : m.out();
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public PeftConfig withSize(int size) {
        throw new PeftException("ia3 has no rank or block size to set");
    }
}
