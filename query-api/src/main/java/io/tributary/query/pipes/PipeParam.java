package io.tributary.query.pipes;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A declared pipe parameter. {@code defaultValue}, {@code min} and {@code max} hold parsed values
 * of {@code type} (see {@link PipeParamType#parse}); {@code defaultText} is the default as written,
 * for the pipe listing. {@code allowedValues} (String only) is empty when any value goes.
 */
public record PipeParam(String name, PipeParamType type, boolean required, Optional<Object> defaultValue,
                        Optional<String> defaultText, Optional<Object> min, Optional<Object> max,
                        List<String> allowedValues, String description, int line) {

    public PipeParam {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(defaultText);
        Objects.requireNonNull(min);
        Objects.requireNonNull(max);
        allowedValues = List.copyOf(allowedValues);
        Objects.requireNonNull(description);
    }

    /** A parameter every request has a value for, so SQL may use it outside {@code {% if defined(..) %}}. */
    public boolean alwaysDefined() {
        return required || defaultValue.isPresent();
    }

    /**
     * Parses and checks one request value.
     *
     * @throws ParamValueException naming the problem, phrased to follow "parameter 'x' "
     */
    Object parseValue(String text) {
        Object value = type.parse(text);
        check(value);
        return value;
    }

    /** Checks a parsed value against min, max and the allowed values. */
    void check(Object value) {
        if (min.isPresent() && PipeParamType.numeric(value).compareTo(PipeParamType.numeric(min.get())) < 0) {
            throw new ParamValueException("must be at least " + PipeValues.text(min.get()) + rangeSuffix());
        }
        if (max.isPresent() && PipeParamType.numeric(value).compareTo(PipeParamType.numeric(max.get())) > 0) {
            throw new ParamValueException("must be at most " + PipeValues.text(max.get()) + rangeSuffix());
        }
        if (!allowedValues.isEmpty() && !allowedValues.contains(value)) {
            throw new ParamValueException("must be one of: " + String.join(", ", allowedValues));
        }
    }

    private String rangeSuffix() {
        if (min.isPresent() && max.isPresent()) {
            return " (allowed: " + PipeValues.text(min.get()) + " to " + PipeValues.text(max.get()) + ")";
        }
        return "";
    }
}
