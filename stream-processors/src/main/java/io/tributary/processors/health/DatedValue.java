package io.tributary.processors.health;

/** A metric's value text and the date it is for (days since 1970-01-01). */
public record DatedValue(int epochDay, String value) {
}
