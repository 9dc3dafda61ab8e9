package org.peftarena.analysis.interp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The interpolation coefficients of a path, increasing and distinct: 0 is the base model, 1 the
 * finetuned one, values above 1 extrapolate.
 *
 * @param values the coefficients, each finite and non-negative
 */
public record AlphaGrid(List<Double> values) {
    /** Most points a grid may hold (each point is one full evaluation or one exported model). */
    public static final int MAX_POINTS = 1000;
    /** The protocol's default grid spec: 0, 0.1, ..., 1.0. */
    public static final String DEFAULT_SPEC = "0:1:0.1";
    /** The protocol's default grid. */
    public static final AlphaGrid DEFAULT = parse(DEFAULT_SPEC);

    /** Sorts, removes duplicates and validates. */
    public AlphaGrid {
        if (values == null || values.isEmpty()) {
            throw new PathException("alpha grid is empty");
        }
        TreeSet<Double> sorted = new TreeSet<>();
        for (Double v : values) {
            if (v == null || !Double.isFinite(v) || v < 0) {
                throw new PathException("alpha " + v + " is not a finite non-negative number");
            }
            sorted.add(v == 0.0 ? 0.0 : v);
        }
        if (sorted.size() > MAX_POINTS) {
            throw new PathException("alpha grid has " + sorted.size() + " points, more than " + MAX_POINTS);
        }
        values = List.copyOf(sorted);
    }

    /**
     * Parses {@code start:stop:step} (stop included when the steps reach it) or a comma-separated list.
     *
     * @throws PathException for malformed numbers, a non-positive step, or stop below start
     */
    public static AlphaGrid parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new PathException("alpha grid spec is empty; use start:stop:step or a comma-separated list");
        }
        String s = spec.trim();
        if (s.contains(":")) {
            String[] p = s.split(":", -1);
            if (p.length != 3) {
                throw new PathException("alpha range '" + spec + "' must be start:stop:step");
            }
            BigDecimal start = number(p[0], spec);
            BigDecimal stop = number(p[1], spec);
            BigDecimal step = number(p[2], spec);
            if (step.signum() <= 0) {
                throw new PathException("alpha range '" + spec + "': step must be positive");
            }
            if (stop.compareTo(start) < 0) {
                throw new PathException("alpha range '" + spec + "': stop is below start");
            }
            long n = stop.subtract(start).divideToIntegralValue(step).longValueExact() + 1;
            if (n > MAX_POINTS) {
                throw new PathException("alpha range '" + spec + "' has " + n + " points, more than " + MAX_POINTS);
            }
            List<Double> v = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                // decimal arithmetic so that 0:1:0.1 gives exactly 0.3, not 0.30000000000000004
                v.add(start.add(step.multiply(BigDecimal.valueOf(i))).doubleValue());
            }
            return new AlphaGrid(v);
        }
        List<Double> v = new ArrayList<>();
        for (String part : s.split(",", 0)) {
            v.add(number(part, spec).doubleValue());
        }
        return new AlphaGrid(v);
    }

    private static BigDecimal number(String text, String spec) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new PathException("alpha grid '" + spec + "': '" + text.trim() + "' is not a number");
        }
    }

    /** Number of points. */
    public int size() {
        return values.size();
    }

    /** The coefficient at position {@code i}. */
    public double get(int i) {
        return values.get(i);
    }

    /** Position of {@code alpha} in the grid, or -1. */
    public int indexOf(double alpha) {
        return values.indexOf(alpha == 0.0 ? 0.0 : alpha);
    }

    /** A short decimal label of a coefficient ({@code 0.3}, {@code 1}, {@code 1.25}) for names and tables. */
    public static String label(double alpha) {
        BigDecimal d = BigDecimal.valueOf(alpha).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
