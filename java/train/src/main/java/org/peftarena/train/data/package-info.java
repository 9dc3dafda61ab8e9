/** Data sets of the embedded default: the multilingual Europarl sample with language detection and hash splits, generated addition problems. */
package org.peftarena.train.data;
