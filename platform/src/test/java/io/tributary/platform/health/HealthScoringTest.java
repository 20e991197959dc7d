package io.tributary.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.health.ScoringConfig.Component;
import io.tributary.platform.health.ScoringConfig.Direction;
import io.tributary.platform.health.ScoringConfig.Normalisation;
import io.tributary.platform.health.ScoringConfig.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthScoringTest {
    private static Component thresholds(String codename, double weight, Direction direction, Double... t) {
        return new Component(Source.METRIC, codename, weight, direction, Normalisation.THRESHOLDS, List.of(t));
    }

    @Test
    void thresholdsArePiecewiseLinearWithAnEqualShareEachInterval() {
        List<Double> t = List.of(0.0, 10.0, 50.0, 100.0);
        assertThat(HealthScoring.thresholds(t, -5)).isEqualTo(0);
        assertThat(HealthScoring.thresholds(t, 0)).isEqualTo(0);
        assertThat(HealthScoring.thresholds(t, 5)).isCloseTo(100.0 / 6, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HealthScoring.thresholds(t, 10)).isCloseTo(100.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HealthScoring.thresholds(t, 30)).isCloseTo(50, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HealthScoring.thresholds(t, 75)).isCloseTo(100.0 * 2.5 / 3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HealthScoring.thresholds(t, 100)).isEqualTo(100);
        assertThat(HealthScoring.thresholds(t, 1e9)).isEqualTo(100);
    }

    @Test
    void percentileIsTheRankAmongTheWorkspacesValuesWithTiesSharingIt() {
        double[] sorted = {1, 2, 2, 4, 8};
        assertThat(HealthScoring.percentile(sorted, 1)).isEqualTo(0);
        assertThat(HealthScoring.percentile(sorted, 2)).isEqualTo(100 * 1.5 / 4); // below 1, equal 2
        assertThat(HealthScoring.percentile(sorted, 4)).isEqualTo(75);
        assertThat(HealthScoring.percentile(sorted, 8)).isEqualTo(100);
        assertThat(HealthScoring.percentile(new double[] {42}, 42)).as("a lone value").isEqualTo(50);
        assertThat(HealthScoring.percentile(new double[] {3, 3, 3}, 3)).as("all equal").isEqualTo(50);
    }

    @Test
    void theScoreIsTheWeightedMeanOfTheComponentsWithAValue() {
        ScoringConfig config = new ScoringConfig(List.of(
                thresholds("tickets", 2, Direction.HIGHER_IS_BETTER, 0.0, 50.0),
                thresholds("bugs", 1, Direction.LOWER_IS_BETTER, 0.0, 10.0),
                thresholds("absent", 5, Direction.HIGHER_IS_BETTER, 0.0, 1.0),
                new Component(Source.ATTRIBUTE, "seats", 1, Direction.HIGHER_IS_BETTER, Normalisation.PERCENTILE, List.of())), List.of());
        HealthScoring.Result r = HealthScoring.score(config, Map.of("tickets", 39.0, "bugs", 2.0), Map.of("seats", 10.0),
                c -> new double[] {5, 10, 20});
        // tickets 78 (×2), bugs 100 − 20 = 80, seats rank 1 of 3 → 50; "absent" has no value and no weight
        assertThat(r.score()).isEqualTo((2 * 78 + 80 + 50) / 4.0);
        assertThat(r.band()).isEqualTo("healthy");
        assertThat(r.components()).extracting(HealthScoring.ComponentScore::contribution).containsExactly(39.0, 20.0, null, 12.5);
        assertThat(r.components().get(2).value()).isNull();
        assertThat(r.components().get(1).normalised()).isEqualTo(80.0);
    }

    @Test
    void withoutAnyValueThereIsNoScoreAndNoBand() {
        ScoringConfig config = new ScoringConfig(List.of(thresholds("tickets", 1, Direction.HIGHER_IS_BETTER, 0.0, 1.0)), null);
        HealthScoring.Result r = HealthScoring.score(config, Map.of(), Map.of(), c -> new double[0]);
        assertThat(r.score()).isNull();
        assertThat(r.band()).isNull();
    }

    @Test
    void bandsAreTakenHighestMinScoreFirstAndDefaultToHealthyAtRiskCritical() {
        ScoringConfig defaults = new ScoringConfig(List.of(), List.of());
        assertThat(defaults.band(70)).isEqualTo("healthy");
        assertThat(defaults.band(69.99)).isEqualTo("at_risk");
        assertThat(defaults.band(40)).isEqualTo("at_risk");
        assertThat(defaults.band(0)).isEqualTo("critical");
        ScoringConfig custom = new ScoringConfig(List.of(), List.of(new ScoringConfig.Band("low", 0), new ScoringConfig.Band("top", 90)));
        assertThat(custom.band(95)).isEqualTo("top");
        assertThat(custom.band(89)).isEqualTo("low");
    }

    @Test
    void storedTextCountsWhenItIsANumberOrABoolean() {
        assertThat(HealthScoring.numeric("39")).isEqualTo(39.0);
        assertThat(HealthScoring.numeric("-1.5")).isEqualTo(-1.5);
        assertThat(HealthScoring.numeric("true")).isEqualTo(1.0);
        assertThat(HealthScoring.numeric("false")).isEqualTo(0.0);
        assertThat(HealthScoring.numeric("2024-05-25")).isNull();
        assertThat(HealthScoring.numeric("Czechia")).isNull();
        assertThat(HealthScoring.numeric("NaN")).isNull();
        assertThat(HealthScoring.numeric(null)).isNull();
    }
}
