/** Capability-conditioned drift: how far an update moves a module's output on the base model's own inputs. */
package org.peftarena.analysis.drift;
