package io.modelcycle.core;

import java.util.List;
import java.util.stream.Collectors;

/** Input that breaks a rule: each {@link FieldError} names the field and what is wrong with it. */
public class ValidationException extends ModelCycleException {

    /** One problem with one field; {@code field} is a path such as {@code schema.features[2].name}. */
    public record FieldError(String field, String message) {
        public FieldError {
            if (field == null || message == null) {
                throw new IllegalArgumentException("field and message are required");
            }
        }

        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a validation error needs at least one field error");
        }
        return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public String code() {
        return "VALIDATION_FAILED";
    }
}
