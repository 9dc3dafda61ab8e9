/**
 * Scalar statistics over profiles and runs: fluctuation score, stable rank, correlations with
 * bootstrap intervals and p-values, Benjamini-Hochberg adjustment, within-group correlations,
 * paired predictor comparisons and Pareto frontiers under noise.
 */
package org.peftarena.analysis.stats;
