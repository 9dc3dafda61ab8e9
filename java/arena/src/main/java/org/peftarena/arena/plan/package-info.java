/** The arena plan: every run spec of a config (methods x budgets x seeds x targets), with matched budgets. */
package org.peftarena.arena.plan;
