package org.peftarena.arena.config;

/**
 * One parameter budget of an arena: every method with a size knob (rank, block size) is matched to
 * it, given either as a trainable-parameter count or as the count of LoRA at some rank on the
 * arena's target modules.
 *
 * @param name     label of the budget band, e.g. {@code r4}
 * @param params   trainable parameters, or null when {@code loraRank} is given
 * @param loraRank LoRA rank whose parameter count is the budget, or null when {@code params} is given
 */
public record BudgetSpec(String name, Long params, Integer loraRank) {
    /** Requires a name and exactly one of the two forms. */
    public BudgetSpec {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ArenaConfigException("a budget needs a name of letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        if ((params == null) == (loraRank == null)) {
            throw new ArenaConfigException("budget " + name + ": give exactly one of 'params' and 'lora_rank'");
        }
        if ((params != null && params < 1) || (loraRank != null && loraRank < 1)) {
            throw new ArenaConfigException("budget " + name + " must be positive");
        }
    }
}
