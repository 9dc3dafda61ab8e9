/** Collection of module activations from decoder forward passes on prompt sets. */
package org.peftarena.analysis.capture;
