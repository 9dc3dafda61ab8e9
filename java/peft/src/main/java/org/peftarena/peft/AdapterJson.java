package org.peftarena.peft;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of {@code adapter_config.json} fields with the errors every method's codec reports. */
public final class AdapterJson {
    private AdapterJson() {}

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
     * A required integer field.
     *
     * @throws AdapterFormatException if it is absent or not an integer
     */
    public static int integer(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new AdapterFormatException("adapter_config.json: '" + field + "' must be an integer");
        }
        return n.asInt();
    }

    /**
     * A list of names (a single string counts as a list of one).
     *
     * @param fallback returned when the field is absent or null; null makes that an error
     * @throws AdapterFormatException if absent without a fallback
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
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }
}
