package org.peftarena.analysis.stats;

/**
 * A correlation with its uncertainty: Pearson's r and Spearman's rho, each with a percentile
 * bootstrap interval and a two-sided p-value against no association.
 *
 * @param n          paired observations that carry information (for a within-group estimate, those
 *                   in groups of two or more)
 * @param groups     groups removed (0 for a pooled estimate)
 * @param pearson    Pearson's r (NaN when a side is constant)
 * @param pearsonCi  its bootstrap interval
 * @param pearsonP   its p-value, t test with {@code n - 2 - groups} (pooled {@code n - 2}) degrees of freedom
 * @param spearman   Spearman's rho
 * @param spearmanCi its bootstrap interval
 * @param spearmanP  its p-value (the same t approximation)
 */
public record CorrelationEstimate(int n, int groups, double pearson, Bootstrap.Interval pearsonCi, double pearsonP,
                                  double spearman, Bootstrap.Interval spearmanCi, double spearmanP) {
    /** @return the same estimate with other p-values (for example adjusted ones) */
    public CorrelationEstimate withP(double pearsonP, double spearmanP) {
        return new CorrelationEstimate(n, groups, pearson, pearsonCi, pearsonP, spearman, spearmanCi, spearmanP);
    }
}
