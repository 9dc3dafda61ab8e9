package org.peftarena.formats.io;

/** The one finiteness rule for host arrays: every value read from or written to a user's file is finite. */
public final class FiniteValues {
    private FiniteValues() {
    }

    /**
     * @param source file or stage the values belong to, for the message
     * @param name tensor name
     * @param values the tensor's elements
     * @throws NonFiniteTensorException naming the tensor, the first bad index and how many are bad
     */
    public static void require(String source, String name, float[] values) {
        int first = -1;
        long bad = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                if (first < 0) {
                    first = i;
                }
                bad++;
            }
        }
        if (first >= 0) {
            throw new NonFiniteTensorException(name, message(source, name,
                    bad + " non-finite value" + (bad == 1 ? "" : "s") + " (first: " + values[first] + " at index " + first + ")"));
        }
    }

    /**
     * @param source where the scale comes from
     * @param name the scale's name
     * @param value its value
     * @throws NonFiniteTensorException when the value is NaN or infinite
     */
    public static void requireScale(String source, String name, double value) {
        if (!Double.isFinite(value) || !Float.isFinite((float) value)) {
            throw new NonFiniteTensorException(name, source + ": " + name + " = " + value
                    + " is not finite in float32; refusing to produce a model of NaN/Inf weights");
        }
    }

    /** The common message: {@code <source>: tensor "<name>" holds <what>}. */
    public static String message(String source, String name, String what) {
        return source + ": tensor \"" + name + "\" holds " + what + "; refusing NaN/Inf weights";
    }
}
