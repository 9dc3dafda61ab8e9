/** Reusable training pieces: AdamW, warm-up + cosine schedule, gradient clipping, the step loop, progress reporting, held-out evaluators. */
package org.peftarena.train;
