package org.peftarena.formats.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RoPE base and scaling read from either the classic fields ({@code rope_theta}, {@code rope_scaling})
 * or the newer combined {@code rope_parameters} object.
 */
final class RopeSettings {

    private final Double theta;
    private final RopeScaling scaling;

    private RopeSettings(Double theta, RopeScaling scaling) {
        this.theta = theta;
        this.scaling = scaling;
    }

    double theta(double fallback) {
        return theta != null ? theta : fallback;
    }

    RopeScaling scaling() {
        return scaling;
    }

    static RopeSettings parse(JsonFields f) throws ModelConfigException {
        Double theta = f.has("rope_theta") ? f.positiveDouble("rope_theta", 0) : null;
        JsonNode params = f.raw("rope_parameters");
        JsonNode scalingNode = f.raw("rope_scaling");
        String scalingField = "rope_scaling";
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw f.error("rope_parameters", "must be an object, got " + params);
            }
            JsonFields p = new JsonFields(f.source() + " rope_parameters", params);
            if (p.has("rope_theta")) {
                theta = p.positiveDouble("rope_theta", 0);
            }
            if (scalingNode == null || scalingNode.isNull()) {
                scalingNode = params;
                scalingField = "rope_parameters";
            }
        }
        return new RopeSettings(theta, parseScaling(f, scalingField, scalingNode));
    }

    private static RopeScaling parseScaling(JsonFields f, String field, JsonNode node) throws ModelConfigException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw f.error(field, "must be an object or null, got " + node);
        }
        JsonFields s = new JsonFields(f.source() + " " + field, node);
        String type = s.string("rope_type", s.string("type", "default"));
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals(RopeScaling.TYPE)) {
            throw new UnsupportedModelException(f.source() + ": " + field + " type \"" + type
                    + "\" is not supported (supported: default, llama3)");
        }
        double factor = requiredNumber(s, "factor");
        double low = requiredNumber(s, "low_freq_factor");
        double high = requiredNumber(s, "high_freq_factor");
        int original = s.requiredPositiveInt("original_max_position_embeddings");
        try {
            return new RopeScaling(factor, low, high, original);
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(f.source() + ": " + e.getMessage(), e);
        }
    }

    private static double requiredNumber(JsonFields s, String field) throws ModelConfigException {
        if (!s.has(field)) {
            throw s.error(field, "is missing");
        }
        return s.positiveDouble(field, 0);
    }
}
