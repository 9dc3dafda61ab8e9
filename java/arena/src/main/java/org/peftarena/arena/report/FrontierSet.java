package org.peftarena.arena.report;

import java.util.List;
import org.peftarena.arena.frontier.ScorePoint;

/**
 * The Pareto frontier of one target over one budget band ({@code all} for every band together).
 *
 * @param target target task
 * @param band   budget band, or {@link #ALL_BANDS}
 * @param points the non-dominated groups (ids are group keys), by increasing Target
 */
public record FrontierSet(String target, String band, List<ScorePoint> points) {
    /** Band name of the frontier over every band. */
    public static final String ALL_BANDS = "all";
}
