package org.peftarena.analysis.stats;

/**
 * A point in a two-objective plane (both maximised), with standard errors where known.
 *
 * @param id    names the point (a run or a group)
 * @param x     first objective (Target)
 * @param xSe   its standard error, NaN when unknown (treated as 0)
 * @param y     second objective (General)
 * @param ySe   its standard error, NaN when unknown (treated as 0)
 * @param group the configuration the point belongs to (seeds of one configuration share it)
 */
public record ScoredPoint(String id, double x, double xSe, double y, double ySe, String group) {
    /** Checks the values. */
    public ScoredPoint {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("point " + id + " has a non-finite score: " + x + ", " + y);
        }
        if (xSe < 0 || ySe < 0) {
            throw new IllegalArgumentException("point " + id + " has a negative standard error");
        }
    }

    /** A point without standard errors. */
    public static ScoredPoint of(String id, double x, double y, String group) {
        return new ScoredPoint(id, x, Double.NaN, y, Double.NaN, group);
    }

    /** @return whether both standard errors are known */
    public boolean hasErrors() {
        return !Double.isNaN(xSe) && !Double.isNaN(ySe);
    }

    /** @return the first standard error, 0 when unknown */
    public double xError() {
        return Double.isNaN(xSe) ? 0 : xSe;
    }

    /** @return the second standard error, 0 when unknown */
    public double yError() {
        return Double.isNaN(ySe) ? 0 : ySe;
    }
}
