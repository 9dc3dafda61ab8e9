/** Scoring of models on tasks: teacher-forced next-token accuracy on text, exact match on problems. */
package org.peftarena.arena.eval;
