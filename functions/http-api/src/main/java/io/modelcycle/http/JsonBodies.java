package io.modelcycle.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.modelcycle.core.Json;
import io.modelcycle.core.ValidationException;
import io.modelcycle.core.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads JSON request bodies into request records, in this order: a body over the size limit is a 413 (checked
 * before anything else, so a huge body costs nothing), a body that is not {@code application/json} is a 415, and
 * anything Jackson or a record's compact constructor refuses is a {@link ValidationException} whose fields are
 * paths into the body, such as {@code schema.features[2].name}. Unknown fields are refused ({@link Json} is
 * configured so), because a misspelt optional field silently ignored is worse than an error.
 */
public final class JsonBodies {

    /** 256 KiB: a model with the maximum of 1000 features, each with a few allowed values, fits well inside. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private final int maxBytes;

    public JsonBodies(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public JsonBodies() {
        this(DEFAULT_MAX_BYTES);
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The body as {@code type}; an empty body is a validation error on {@code body}. */
    public <T> T read(ApiRequest request, Class<T> type) {
        return readOptional(request, type).orElseThrow(() -> new ValidationException("body",
                "a JSON object is required"));
    }

    /** The body as {@code type}, or empty when the request has no body (or only whitespace). */
    public <T> Optional<T> readOptional(ApiRequest request, Class<T> type) {
        byte[] body = request.body();
        if (body.length > maxBytes) {
            throw HttpException.payloadTooLarge(body.length, maxBytes);
        }
        if (isBlank(body)) {
            return Optional.empty();
        }
        requireJson(request.header("content-type").orElse(null));
        T value;
        try {
            value = Json.mapper().readValue(body, type);
        } catch (JacksonException e) {
            throw translate(e);
        } catch (java.io.IOException e) {
            throw new ValidationException("body", "cannot be read: " + e.getMessage());
        }
        if (value == null) {
            throw new ValidationException("body", "must be a JSON object, not null");
        }
        return Optional.of(value);
    }

    static void requireJson(String contentType) {
        if (contentType == null) {
            throw HttpException.unsupportedMediaType(null);
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw HttpException.unsupportedMediaType(contentType);
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv[0].trim().equalsIgnoreCase("charset") && (kv.length < 2
                    || !kv[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                throw HttpException.unsupportedMediaType(contentType);
            }
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Turns what Jackson throws into field-level errors a caller can act on. */
    static ValidationException translate(JacksonException e) {
        ValidationException domain = findCause(e, ValidationException.class);
        String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        if (domain != null) {
            List<FieldError> errors = new ArrayList<>();
            for (FieldError error : domain.errors()) {
                errors.add(new FieldError(qualify(path, error.field()), error.message()));
            }
            return new ValidationException(errors);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : "; known fields: " + new TreeSet<>(
                    u.getKnownPropertyIds().stream().map(String::valueOf).toList());
            return new ValidationException(path, "unknown field '" + u.getPropertyName() + "'" + known);
        }
        if (e instanceof InvalidFormatException f) {
            Class<?> target = f.getTargetType();
            String allowed = target != null && target.isEnum()
                    ? "; one of " + Arrays.toString(target.getEnumConstants()) : "";
            return new ValidationException(fieldOrBody(path), "value " + abbreviate(String.valueOf(f.getValue()))
                    + " is not a valid " + simpleName(target) + allowed);
        }
        if (e instanceof MismatchedInputException m) {
            return new ValidationException(fieldOrBody(path), "expected " + describe(m.getTargetType())
                    + " here: " + firstLine(m.getOriginalMessage()));
        }
        if (e instanceof JsonMappingException m) {
            Throwable cause = m.getCause() == null ? m : m.getCause();
            return new ValidationException(fieldOrBody(path), firstLine(cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()));
        }
        if (e instanceof InputCoercionException c && c.getProcessor() != null) {
            JsonParser parser = c.getProcessor();
            return new ValidationException(fieldOrBody(pointerPath(parser.getParsingContext().pathAsPointer().toString())),
                    "number " + abbreviate(String.valueOf(safeText(parser))) + " is out of range for " + describe(c.getTargetType()));
        }
        String where = e instanceof JsonProcessingException p && p.getLocation() != null
                ? " (line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")" : "";
        return new ValidationException("body", "is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
    }

    /**
     * Joins the path Jackson reports with the field a compact constructor names. Nested records in core already
     * name their full path from the root ({@code policies.canary.weight}); leaf records name only their own field
     * ({@code name} of a feature), which needs the path in front.
     */
    static String qualify(String path, String field) {
        if (path.isEmpty()) {
            return field;
        }
        String root = path.split("[.\\[]", 2)[0];
        if (field.equals(path) || field.startsWith(path + ".") || field.startsWith(path + "[")
                || field.equals(root) || field.startsWith(root + ".") || field.startsWith(root + "[")) {
            return field;
        }
        return path + "." + field;
    }

    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** {@code /schema/features/2/name} → {@code schema.features[2].name}. */
    static String pointerPath(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String token : pointer.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String name = token.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                out.append('[').append(name).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(name);
            }
        }
        return out.toString();
    }

    private static String safeText(JsonParser parser) {
        try {
            return parser.getText();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String fieldOrBody(String path) {
        return path.isEmpty() ? "body" : path;
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "value" : type.getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "…";
    }

    private static <X extends Throwable> X findCause(Throwable t, Class<X> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
