/** The arena report: {@code report.json}, {@code runs.csv}, {@code report.md} and the self-contained {@code report.html}. */
package org.peftarena.arena.report;
