package org.peftarena.peft.full;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.ModelShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * Full finetuning: every parameter of every transformer block trains (linear weights, their
 * biases, both RMSNorm weights); embeddings, the final norm and the LM head stay frozen.
 */
public record FullConfig() implements PeftConfig {
    @Override
    public PeftMethod method() {
        return FullMethod.ID;
    }

    @Override
    public long moduleParams(LinearShape m) {
        return m.out() * m.in() + (m.bias() ? m.out() : 0);
    }

    @Override
    public long blockExtraParams(ModelShape shape) {
        return 2 * shape.hiddenSize();
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public PeftConfig withSize(int size) {
        throw new PeftException("full finetuning has no rank or block size to set");
    }
}
