package org.peftarena.formats.config;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed, validating access to the fields of one JSON object, with messages naming the source and field. */
final class JsonFields {

    private final String source;
    private final JsonNode node;

    JsonFields(String source, JsonNode node) {
        this.source = source;
        this.node = node;
    }

    String source() {
        return source;
    }

    /** @return true when the field exists and is not JSON null */
    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    ModelConfigException error(String field, String problem) {
        return new ModelConfigException(source + ": \"" + field + "\" " + problem);
    }

    int requiredPositiveInt(String field) throws ModelConfigException {
        if (!has(field)) {
            throw error(field, "is missing");
        }
        return positiveInt(field, 0);
    }

    int positiveInt(String field, int fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw error(field, "must be a positive integer, got " + v);
        }
        return v.intValue();
    }

    Integer optionalInt(String field) throws ModelConfigException {
        if (!has(field)) {
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(field, "must be an integer, got " + v);
        }
        return v.intValue();
    }

    double positiveDouble(String field, double fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
            throw error(field, "must be a positive finite number, got " + v);
        }
        return v.doubleValue();
    }

    double number(String field, double fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            throw error(field, "must be a number, got " + v);
        }
        return v.doubleValue();
    }

    boolean bool(String field, boolean fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isBoolean()) {
            throw error(field, "must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    String string(String field, String fallback) throws ModelConfigException {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw error(field, "must be a string, got " + v);
        }
        return v.textValue();
    }
}
