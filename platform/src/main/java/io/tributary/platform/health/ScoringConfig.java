package io.tributary.platform.health;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a workspace's customers are scored (seed 004's health score): the components that count,
 * and the bands a score falls in. See {@link HealthScoring} for the arithmetic.
 */
public record ScoringConfig(List<Component> components, List<Band> bands) {
    /** healthy ≥ 70, at_risk ≥ 40, critical below: the bands when a configuration names none. */
    public static final List<Band> DEFAULT_BANDS = List.of(new Band("healthy", 70), new Band("at_risk", 40), new Band("critical", 0));

    public ScoringConfig {
        components = List.copyOf(components);
        bands = List.copyOf((bands == null || bands.isEmpty() ? DEFAULT_BANDS : bands).stream()
                .sorted(Comparator.comparingDouble(Band::minScore).reversed()).toList());
    }

    /** Whether any component is normalised by percentile: then one customer's new value moves every other's score. */
    public boolean usesPercentiles() {
        return components.stream().anyMatch(c -> c.normalisation() == Normalisation.PERCENTILE);
    }

    /** Whether a component reads {@code codename} of {@code source}. */
    public boolean uses(Source source, String codename) {
        return components.stream().anyMatch(c -> c.source() == source && c.codename().equals(codename));
    }

    /** The band of {@code score}: the first, highest min_score first, that it reaches. */
    public String band(double score) {
        for (Band b : bands) {
            if (score >= b.minScore()) {
                return b.name();
            }
        }
        return bands.get(bands.size() - 1).name();
    }

    /** Where a component's value comes from. */
    public enum Source {
        METRIC, ATTRIBUTE;

        @JsonValue
        public String wire() {
            return WireNames.wire(this);
        }

        @JsonCreator
        public static Source fromWire(String text) {
            return WireNames.require(Source.class, text);
        }

        public static Optional<Source> parse(String text) {
            return WireNames.parse(Source.class, text);
        }
    }

    /** Whether a higher value is better or worse for the customer's health. */
    public enum Direction {
        HIGHER_IS_BETTER, LOWER_IS_BETTER;

        @JsonValue
        public String wire() {
            return WireNames.wire(this);
        }

        @JsonCreator
        public static Direction fromWire(String text) {
            return WireNames.require(Direction.class, text);
        }

        public static Optional<Direction> parse(String text) {
            return WireNames.parse(Direction.class, text);
        }
    }

    /** thresholds: piecewise linear between ascending thresholds; percentile: rank within the workspace. */
    public enum Normalisation {
        THRESHOLDS, PERCENTILE;

        @JsonValue
        public String wire() {
            return WireNames.wire(this);
        }

        @JsonCreator
        public static Normalisation fromWire(String text) {
            return WireNames.require(Normalisation.class, text);
        }

        public static Optional<Normalisation> parse(String text) {
            return WireNames.parse(Normalisation.class, text);
        }
    }

    /** One input of the score; thresholds only for {@link Normalisation#THRESHOLDS} (ascending, at least two). */
    public record Component(Source source, String codename, double weight, Direction direction, Normalisation normalisation,
                            List<Double> thresholds) {
        public Component {
            Objects.requireNonNull(source);
            Objects.requireNonNull(codename);
            Objects.requireNonNull(direction);
            Objects.requireNonNull(normalisation);
            thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
        }
    }

    /** A named band: scores from {@code minScore} up to the next band's. */
    public record Band(String name, double minScore) {
        public Band {
            Objects.requireNonNull(name);
        }
    }
}
