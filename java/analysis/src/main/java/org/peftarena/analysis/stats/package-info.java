/** Scalar statistics over profiles and runs: fluctuation score, stable rank, correlations. */
package org.peftarena.analysis.stats;
