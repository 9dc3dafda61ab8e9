/** Per-run diagnostics of an arena run in one call, and their correlations with Forget and Gain across runs. */
package org.peftarena.analysis.run;
