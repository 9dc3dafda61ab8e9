/** LibTorch tensor conversions, shape checks and stored-tensor reading used by the diagnostics. */
package org.peftarena.analysis.tensor;
