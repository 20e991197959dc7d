package io.tributary.platform.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The health-score arithmetic (seed 004), the same for the stream processor and for anyone who
 * wants to check it:
 * <ul>
 *   <li>a component's value is the customer's latest dated value of the metric (or its attribute);
 *       booleans count 1/0, other text does not count;</li>
 *   <li>thresholds t0 &lt; … &lt; tk map a value to 0–100 piecewise linearly: ≤ t0 → 0, ≥ tk → 100,
 *       between t(i) and t(i+1) → 100·(i + (v − t(i)) / (t(i+1) − t(i))) / k;</li>
 *   <li>percentile maps it to its rank among the workspace's customers that have a value:
 *       100·(below + (equal − 1)/2) / (n − 1), where equal counts the value itself; a lone value is 50;</li>
 *   <li>lower_is_better turns s into 100 − s;</li>
 *   <li>the score is Σ weight·s / Σ weight over the components that have a value (none: no score),
 *       and each component's contribution is its term of that sum; all rounded to 2 decimals.</li>
 * </ul>
 */
public final class HealthScoring {
    private HealthScoring() {
    }

    /** One component of a computed score; value, normalised and contribution are null when the customer has no value. */
    public record ComponentScore(ScoringConfig.Source source, String codename, Double value, Double normalised, double weight,
                                 Double contribution) {
    }

    /** A computed score; score and band are null when no component has a value. */
    public record Result(Double score, String band, List<ComponentScore> components) {
    }

    /**
     * Scores one customer. {@code metrics} and {@code attributes} hold its numeric values by
     * codename; {@code distribution} gives, for a percentile component, the sorted values of every
     * customer of the workspace (this one included).
     */
    public static Result score(ScoringConfig config, Map<String, Double> metrics, Map<String, Double> attributes,
                               Function<ScoringConfig.Component, double[]> distribution) {
        double weights = 0;
        double sum = 0;
        List<Double> normalised = new ArrayList<>();
        for (ScoringConfig.Component c : config.components()) {
            Double value = (c.source() == ScoringConfig.Source.METRIC ? metrics : attributes).get(c.codename());
            Double s = value == null ? null : normalise(c, value, distribution);
            normalised.add(s);
            if (s != null) {
                weights += c.weight();
                sum += c.weight() * s;
            }
        }
        List<ComponentScore> parts = new ArrayList<>();
        for (int i = 0; i < config.components().size(); i++) {
            ScoringConfig.Component c = config.components().get(i);
            Double s = normalised.get(i);
            Double value = (c.source() == ScoringConfig.Source.METRIC ? metrics : attributes).get(c.codename());
            Double contribution = s == null || weights == 0 ? null : round(c.weight() * s / weights);
            parts.add(new ComponentScore(c.source(), c.codename(), value, s == null ? null : round(s), c.weight(), contribution));
        }
        if (weights == 0) {
            return new Result(null, null, parts);
        }
        double score = round(sum / weights);
        return new Result(score, config.band(score), parts);
    }

    /** A value normalised to 0–100 by the component's method and direction. */
    static double normalise(ScoringConfig.Component c, double value, Function<ScoringConfig.Component, double[]> distribution) {
        double s = c.normalisation() == ScoringConfig.Normalisation.THRESHOLDS
                ? thresholds(c.thresholds(), value) : percentile(distribution.apply(c), value);
        return c.direction() == ScoringConfig.Direction.LOWER_IS_BETTER ? 100 - s : s;
    }

    static double thresholds(List<Double> t, double v) {
        int k = t.size() - 1;
        if (v <= t.get(0)) {
            return 0;
        }
        if (v >= t.get(k)) {
            return 100;
        }
        for (int i = 0; i < k; i++) {
            if (v < t.get(i + 1)) {
                return 100 * (i + (v - t.get(i)) / (t.get(i + 1) - t.get(i))) / k;
            }
        }
        return 100;
    }

    /** Rank of {@code v} within {@code sorted} (which holds it), 0–100. */
    static double percentile(double[] sorted, double v) {
        int n = sorted.length;
        if (n <= 1) {
            return 50;
        }
        int below = lowerBound(sorted, v);
        int equal = Math.max(1, lowerBound(sorted, Math.nextUp(v)) - below);
        return 100 * (below + (equal - 1) / 2.0) / (n - 1);
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The number a stored value text stands for: true/false → 1/0, a decimal number → itself, anything else none. */
    public static Double numeric(String text) {
        if (text == null) {
            return null;
        }
        if (text.equals("true")) {
            return 1.0;
        }
        if (text.equals("false")) {
            return 0.0;
        }
        if (text.isEmpty() || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '-' || text.charAt(0) == '.')) {
            return null;
        }
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null; // dates and other text do not count
        }
    }

    public static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Sorted copy of {@code values}, for {@link #score}'s distribution. */
    public static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
