package io.tributary.platform.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthSettingsRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HealthSettings SETTINGS = HealthSettings.empty("ws")
            .withMetrics(Map.of("logins", ValueKind.NUMBER, "plan", ValueKind.STRING, "promoter", ValueKind.BOOLEAN), 1)
            .withAttributes(Map.of("seats", ValueKind.NUMBER), 1);

    private static ScoringConfig parse(String json) throws Exception {
        return HealthSettingsRoutes.parseScoring(JSON.readTree(json), SETTINGS);
    }

    private static List<String> problems(String json) {
        try {
            parse(json);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.details().stream().map(ErrorDetail::field).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no 400 for " + json);
    }

    @Test
    void aValidConfigurationWithDefaults() throws Exception {
        ScoringConfig config = parse("""
                {"components": [{"source": "metric", "codename": "logins", "normalisation": "thresholds", "thresholds": [0, 10]},
                                {"source": "attribute", "codename": "seats", "weight": 2.5, "direction": "lower_is_better", "normalisation": "percentile"},
                                {"source": "metric", "codename": "promoter", "normalisation": "thresholds", "thresholds": [0, 1]}]}""");
        assertThat(config.components()).hasSize(3);
        assertThat(config.components().get(0).weight()).isEqualTo(1);
        assertThat(config.components().get(0).direction()).isEqualTo(ScoringConfig.Direction.HIGHER_IS_BETTER);
        assertThat(config.components().get(1).direction()).isEqualTo(ScoringConfig.Direction.LOWER_IS_BETTER);
        assertThat(config.bands()).isEqualTo(ScoringConfig.DEFAULT_BANDS);
        assertThat(config.usesPercentiles()).isTrue();
    }

    @Test
    void everyProblemIsNamedByItsPath() {
        assertThat(problems("""
                {"components": [
                  {"source": "metric", "codename": "nope", "normalisation": "percentile"},
                  {"source": "metric", "codename": "plan", "normalisation": "percentile"},
                  {"source": "elsewhere", "codename": "logins", "normalisation": "percentile"},
                  {"source": "metric", "codename": "logins", "weight": 0, "direction": "sideways", "normalisation": "thresholds", "thresholds": [5, 1]},
                  {"source": "attribute", "codename": "seats", "normalisation": "percentile", "thresholds": [1, 2], "extra": 1}],
                 "bands": [{"name": "only", "min_score": 50}],
                 "colour": "red"}""")).containsExactlyInAnyOrder(
                "colour", "components[0].codename", "components[1].codename", "components[2].source", "components[3].weight",
                "components[3].direction", "components[3].thresholds", "components[4].extra", "components[4].thresholds", "bands");
        assertThat(problems("{\"components\": []}")).containsExactly("components");
        assertThat(problems("{}")).containsExactly("components");
        assertThat(problems("""
                {"components": [{"source": "metric", "codename": "logins", "normalisation": "percentile"},
                                {"source": "metric", "codename": "logins", "normalisation": "percentile"}]}""")).containsExactly("components");
        assertThat(problems("""
                {"components": [{"source": "metric", "codename": "logins", "normalisation": "percentile"}],
                 "bands": [{"name": "a", "min_score": 0}, {"name": "a", "min_score": 101}]}""")).containsExactly("bands[1].name", "bands[1].min_score");
    }

    @Test
    void systemAttributesAlwaysExistAndCanBeRead() {
        assertThat(SETTINGS.attributeKind("renewal_date")).contains(ValueKind.DATE);
        assertThat(SETTINGS.attributeKind("crm_link")).contains(ValueKind.STRING);
        assertThat(SETTINGS.attributeKind("Seats")).as("case-sensitive").isEmpty();
        assertThatThrownBy(() -> parse("""
                {"components": [{"source": "attribute", "codename": "renewal_date", "normalisation": "percentile"}]}"""))
                .isInstanceOf(ApiException.class).hasMessageContaining("scoring configuration");
        Map<String, Object> rendered = HealthSettingsRoutes.render(SETTINGS);
        assertThat(rendered.get("attributes").toString()).contains("crm_link").contains("system=true").contains("seats");
    }
}
