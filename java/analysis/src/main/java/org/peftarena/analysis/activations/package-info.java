/** Activation-space diagnostics comparing a module's base and finetuned outputs on the same tokens. */
package org.peftarena.analysis.activations;
