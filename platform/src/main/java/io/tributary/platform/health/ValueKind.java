package io.tributary.platform.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The value types of seed 004's attributes and metrics. Only numbers and booleans (1/0) can be scored. */
public enum ValueKind {
    STRING, NUMBER, BOOLEAN, DATE;

    /** The name the API and the stored settings use: string, number, boolean, date. */
    @JsonValue
    public String wire() {
        return WireNames.wire(this);
    }

    public static Optional<ValueKind> parse(String text) {
        return WireNames.parse(ValueKind.class, text);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    static ValueKind fromWire(String text) {
        return WireNames.require(ValueKind.class, text);
    }

    public boolean scorable() {
        return this == NUMBER || this == BOOLEAN;
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(ValueKind::wire).toList());
    }
}
