package io.tributary.platform.rules;

/**
 * What a rule is evaluated against: the value of each field, or {@code null} when it is missing.
 * Values are {@link java.math.BigDecimal} or another {@link Number} for NUMBER fields,
 * {@link String} for STRING fields and {@link java.time.Instant} for DATE and TIMESTAMP fields
 * (a date is its midnight UTC).
 */
@FunctionalInterface
public interface RuleFacts {
    Object value(RuleField field);
}
