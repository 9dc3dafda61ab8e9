package org.peftarena.arena.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * The fields of a run's spec a report shows that the registry has no column for: the training's
 * learning rate and steps, and the band's parameter budget. Imported runs have no spec: all null.
 *
 * @param learningRate peak learning rate, or null
 * @param steps        optimizer steps, or null
 * @param budgetParams parameter budget of the band, or null when there is none (base, fixed band)
 * @param general      the tasks General averages, or null
 * @param regime       {@code rl} when the spec has an RL recipe, else {@code sft}
 */
record RunSpecFields(Double learningRate, Integer steps, Long budgetParams, java.util.List<String> general, String regime) {
    private static final RunSpecFields NONE = new RunSpecFields(null, null, null, null, RunSpec.SFT);

    static RunSpecFields of(RunRecord r) {
        if (r.specJson() == null) {
            return NONE;
        }
        JsonNode spec;
        try {
            spec = RunSpecJson.MAPPER.readTree(r.specJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return NONE; // a spec the registry holds is written by this engine
        }
        JsonNode t = spec.get("training");
        boolean trained = t != null && t.isObject();
        long budget = spec.path("budget_params").asLong(0);
        java.util.List<String> general = new java.util.ArrayList<>();
        spec.path("general").forEach(n -> general.add(n.asText()));
        return new RunSpecFields(trained && t.hasNonNull("learning_rate") ? t.get("learning_rate").asDouble() : null,
                trained && t.hasNonNull("steps") ? t.get("steps").asInt() : null, budget > 0 ? budget : null,
                general.isEmpty() ? null : java.util.List.copyOf(general),
                spec.hasNonNull("rl") ? RunSpec.RL : RunSpec.SFT);
    }
}
