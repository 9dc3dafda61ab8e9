package org.peftarena.arena.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says what is wrong with an arena config in the config's own terms (dotted keys such as
 * {@code training.steps}, "an integer", "a list") instead of Jackson's Java class names.
 */
final class ConfigErrorText {
    private ConfigErrorText() {
    }

    /** One sentence naming the key and what it should hold. */
    static String describe(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return plain(e.getOriginalMessage());
        }
        String key = key(m.getPath());
        if (m instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            String parent = key(m.getPath().subList(0, Math.max(0, m.getPath().size() - 1)));
            return "unknown key '" + u.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in " + parent)
                    + (known == null || known.isEmpty() ? "" : "; known keys: "
                    + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (m instanceof InvalidFormatException f) {
            return key + ": expected " + kind(f.getTargetType()) + ", got " + describeValue(f.getValue());
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            return (key.isEmpty() ? "the config" : key) + ": expected " + kind(mi.getTargetType());
        }
        return (key.isEmpty() ? "" : key + ": ") + plain(m.getOriginalMessage());
    }

    private static String key(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        return "a value of another kind";
    }

    private static String describeValue(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    /** Drops Java class names (`java.lang.Integer`, `org.peftarena...`) from a message nothing else explains. */
    private static String plain(String message) {
        if (message == null) {
            return "invalid value";
        }
        return message.replaceAll("`[a-zA-Z_$][\\w$.]*\\.([\\w$]+)`", "$1").replaceAll("\\(class [\\w$.]+\\)", "").strip();
    }
}
