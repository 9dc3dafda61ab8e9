/** Weight-space diagnostics of one linear module: base spectra, structured updates, profiles, stable rank, alignment. */
package org.peftarena.analysis.weights;
