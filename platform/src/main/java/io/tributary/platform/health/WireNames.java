package io.tributary.platform.health;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The names the API and the stored settings give enum constants: lower case (higher_is_better, percentile, number). */
final class WireNames {
    private WireNames() {
    }

    static String wire(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> wire(c).equals(text)).findFirst();
    }

    /** As {@link #parse}, for stored settings, which only this code writes. */
    static <E extends Enum<E>> E require(Class<E> type, String text) {
        return parse(type, text).orElseThrow(() -> new IllegalArgumentException("not a " + type.getSimpleName() + ": " + text));
    }
}
