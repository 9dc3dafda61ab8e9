package org.peftarena.arena.report;

import java.util.Map;

/**
 * One run in a report.
 *
 * @param runId               run id
 * @param kind                base, finetune or external
 * @param status              registry status
 * @param method              method name
 * @param budget              budget band
 * @param size                rank or block size (0 when none)
 * @param params              trainable parameters
 * @param target              target task
 * @param seed                training seed
 * @param targetScore         Target in percent, or null when not scored
 * @param generalScore        General in percent, or null
 * @param forget              General(base) - General(run), or null without a base
 * @param gain                Target(run) - Target(base), or null without a base
 * @param onFrontier          whether its (method, budget, target) group is on the target's frontier
 * @param onBandFrontier      whether its group is on the frontier of its budget band
 * @param trainSeconds        training wall time
 * @param evalSeconds         evaluation wall time
 * @param totalSeconds        whole-run wall time
 * @param trainTokensPerSecond training throughput
 * @param evalTokensPerSecond mean evaluation throughput over its tasks, or null
 * @param tasks               per-task scores in percent
 * @param attempts            attempts the registry counted
 * @param artifactDir         artifact folder, or the imported adapter path
 * @param learningRate        peak learning rate of the run's training, or null (base or imported runs)
 * @param steps               optimizer steps of the run's training, or null
 * @param budgetParams        the parameter budget of its band, or null when the band has none
 * @param errors              standard errors and evaluation sizes of its scores, or null when not known
 * @param regime              {@code sft} or {@code rl} (how it was trained; imported runs count as sft)
 */
public record RunRow(String runId, String kind, String status, String method, String budget, int size, long params,
                     String target, long seed, Double targetScore, Double generalScore, Double forget, Double gain,
                     boolean onFrontier, boolean onBandFrontier, double trainSeconds, double evalSeconds,
                     double totalSeconds, double trainTokensPerSecond, Double evalTokensPerSecond,
                     Map<String, Double> tasks, int attempts, String artifactDir, Double learningRate,
                     Integer steps, Long budgetParams, ScoreErrors errors, String regime) {
    /** A run of the SFT regime. */
    public RunRow(String runId, String kind, String status, String method, String budget, int size, long params,
                  String target, long seed, Double targetScore, Double generalScore, Double forget, Double gain,
                  boolean onFrontier, boolean onBandFrontier, double trainSeconds, double evalSeconds,
                  double totalSeconds, double trainTokensPerSecond, Double evalTokensPerSecond,
                  Map<String, Double> tasks, int attempts, String artifactDir, Double learningRate,
                  Integer steps, Long budgetParams, ScoreErrors errors) {
        this(runId, kind, status, method, budget, size, params, target, seed, targetScore, generalScore, forget, gain,
                onFrontier, onBandFrontier, trainSeconds, evalSeconds, totalSeconds, trainTokensPerSecond,
                evalTokensPerSecond, tasks, attempts, artifactDir, learningRate, steps, budgetParams, errors,
                org.peftarena.arena.spec.RunSpec.SFT);
    }

    /** Defaults the regime to sft. */
    public RunRow {
        regime = regime == null ? org.peftarena.arena.spec.RunSpec.SFT : regime;
    }

    /** Whether the run's scores were imported (an external evaluator's run: no seed, maybe no size or count). */
    public boolean imported() {
        return status.startsWith(org.peftarena.arena.registry.RunStatus.IMPORTED.label());
    }

    /** The seed, or null for an imported run, whose seed is unknown. */
    public Long knownSeed() {
        return imported() ? null : seed;
    }

    /** The size, or null for an imported run whose score file gave none (stored as 0). */
    public Integer knownSize() {
        return imported() && size == 0 ? null : size;
    }

    /** The trainable-parameter count, or null for an imported run whose score file gave none (stored as 0). */
    public Long knownParams() {
        return imported() && params == 0 ? null : params;
    }

    /** Budget deviation above which a run is flagged (percent of the budget). */
    public static final double BUDGET_WARNING_PERCENT = 10;

    /** (trainable parameters - budget) / budget in percent, or null when the run has no budget. */
    public Double budgetDeviationPercent() {
        return budgetParams == null || budgetParams <= 0 || knownParams() == null ? null
                : 100.0 * (params - budgetParams) / budgetParams;
    }

    /** Whether the run misses its budget by more than {@link #BUDGET_WARNING_PERCENT}. */
    public boolean offBudget() {
        Double d = budgetDeviationPercent();
        return d != null && Math.abs(d) > BUDGET_WARNING_PERCENT;
    }

    /** The comparison key of its group: method, budget, target, learning rate, steps, and {@code /rl} for RL runs. */
    public String groupKey() {
        return MethodGroup.key(method, budget, target, learningRate, steps)
                + (org.peftarena.arena.spec.RunSpec.RL.equals(regime) ? "/" + regime : "");
    }
}
