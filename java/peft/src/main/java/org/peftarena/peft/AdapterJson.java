package org.peftarena.peft;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of {@code adapter_config.json} fields with the errors every method's codec reports. Values
 * are never coerced: a string where a number belongs, a fraction where an integer belongs or a number
 * where a boolean belongs is an error naming the field, not a default or a truncated value.
 */
public final class AdapterJson {
    private AdapterJson() {}

    private static AdapterFormatException wrongType(String field, String expected, JsonNode found) {
        return new AdapterFormatException("adapter_config.json: '" + field + "' must be " + expected + ", got " + found);
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    /**
     * A required string field.
     *
     * @throws AdapterFormatException if it is absent or not a string
     */
    public static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.isTextual()) {
            throw new AdapterFormatException("adapter_config.json: '" + field + "' must be a string");
        }
        return n.asText();
    }

    /**
     * An optional string field.
     *
     * @param fallback returned when the field is absent or null
     * @throws AdapterFormatException if present and not a string
     */
    public static String text(JsonNode json, String field, String fallback) {
        JsonNode n = json.get(field);
        if (absent(n)) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string", n);
        }
        return n.asText();
    }

    /**
     * A required integer field.
     *
     * @throws AdapterFormatException if it is absent, not a number, has a fractional part or is beyond int's range
     */
    public static int integer(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (absent(n)) {
            throw new AdapterFormatException("adapter_config.json: '" + field + "' must be an integer");
        }
        return integerValue(n, field);
    }

    /**
     * An optional integer field.
     *
     * @param fallback returned when the field is absent or null
     * @throws AdapterFormatException if present and not an integer within int's range
     */
    public static int integer(JsonNode json, String field, int fallback) {
        JsonNode n = json.get(field);
        return absent(n) ? fallback : integerValue(n, field);
    }

    /**
     * The value of an integer field (a float with no fractional part, such as {@code 8.0}, counts).
     *
     * @throws AdapterFormatException if it is not an integer within int's range
     */
    public static int integerValue(JsonNode n, String field) {
        long v = longValue(n, field);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrongType(field, "an integer within the 32-bit range", n);
        }
        return (int) v;
    }

    /**
     * An optional 64-bit integer field.
     *
     * @param fallback returned when the field is absent or null
     * @throws AdapterFormatException if present and not an integer within long's range
     */
    public static long longInteger(JsonNode json, String field, long fallback) {
        JsonNode n = json.get(field);
        return absent(n) ? fallback : longValue(n, field);
    }

    private static long longValue(JsonNode n, String field) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isFloatingPointNumber()) {
            double d = n.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return (long) d;
            }
        }
        throw wrongType(field, "an integer", n);
    }

    /**
     * An optional number field.
     *
     * @param fallback returned when the field is absent or null
     * @throws AdapterFormatException if present and not a number
     */
    public static double number(JsonNode json, String field, double fallback) {
        JsonNode n = json.get(field);
        if (absent(n)) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw wrongType(field, "a number", n);
        }
        return n.doubleValue();
    }

    /**
     * An optional boolean field.
     *
     * @param fallback returned when the field is absent or null
     * @throws AdapterFormatException if present and not {@code true} or {@code false}
     */
    public static boolean bool(JsonNode json, String field, boolean fallback) {
        JsonNode n = json.get(field);
        if (absent(n)) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw wrongType(field, "true or false", n);
        }
        return n.booleanValue();
    }

    /**
     * A list of names (a single string counts as a list of one).
     *
     * @param fallback returned when the field is absent or null; null makes that an error
     * @throws AdapterFormatException if absent without a fallback, or not a string or list of strings
     */
    public static List<String> strings(JsonNode n, List<String> fallback) {
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw new AdapterFormatException("adapter_config.json: expected a list of module names");
            }
            return fallback;
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw new AdapterFormatException("adapter_config.json: expected a list of module names, got " + n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new AdapterFormatException("adapter_config.json: expected a list of module names, got " + n);
            }
            out.add(e.asText());
        }
        return out;
    }
}
