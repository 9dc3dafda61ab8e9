package org.peftarena.arena.importer;

/**
 * One externally computed score: a model (a run id of the registry, or an adapter path) at an
 * interpolation coefficient, with its Target and General.
 *
 * @param run        run id or label, or null when {@code adapter} names the model
 * @param adapter    adapter or model path, or null
 * @param alpha      interpolation coefficient (0 = base, 1 = finetuned)
 * @param target     Target in percent
 * @param general    General in percent
 * @param method     method name, or null
 * @param budget     budget band, or null
 * @param targetTask target task name, or null
 * @param params     trainable parameters, or null
 */
public record ExternalScore(String run, String adapter, double alpha, double target, double general, String method,
                            String budget, String targetTask, Long params) {
    /** Requires a model reference and finite numbers. */
    public ExternalScore {
        if ((run == null || run.isBlank()) && (adapter == null || adapter.isBlank())) {
            throw new IllegalArgumentException("needs a 'run' or an 'adapter'");
        }
        if (!Double.isFinite(alpha) || !Double.isFinite(target) || !Double.isFinite(general)) {
            throw new IllegalArgumentException("alpha, target and general must be finite numbers");
        }
    }

    /** The model's key: the run id if given, else the adapter path. */
    public String key() {
        return run != null && !run.isBlank() ? run : adapter;
    }
}
