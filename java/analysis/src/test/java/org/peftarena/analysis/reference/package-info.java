/** Plain-Java double-precision references of every diagnostic, the oracle of the tests. */
package org.peftarena.analysis.reference;
