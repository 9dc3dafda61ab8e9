/** Interpolation paths from the base model (alpha 0) to a finetuned one (alpha 1): the Cayley-generator path for OFT, adapter scaling for additive adapters, the dense weight path, their evaluation and export. */
package org.peftarena.analysis.interp;
