package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.store.QueryResult;
import io.tributary.platform.store.StoreDialect;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Seed 002's pipes reject a missing required param and values of the wrong type with a 400 naming the param. */
class PipeSeed002ParamsTest {
    private static final PipeCatalog CATALOG = PipeCatalog.fromClasspath(PipeSeed002ParamsTest.class.getClassLoader());

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("customer_purchase_history", Map.of(), "customer_id", "is required"),
                Arguments.of("customer_purchase_history", Map.of("customer_id", "c1", "start_date", "yesterday"), "start_date", "must be a DateTime"),
                Arguments.of("customer_purchase_history", Map.of("customer_id", "c1", "limit", "0"), "limit", "must be at least 1"),
                Arguments.of("customer_purchase_history", Map.of("customer_id", "c1", "categry_id", "x"), "categry_id", "is not a parameter"),
                Arguments.of("customer_segmentation_suggestions", Map.of("limit", "5"), "limit", "is not a parameter"),
                Arguments.of("customer_behavioral_analysis", Map.of("end_date", "2023-13-01"), "end_date", "must be a DateTime"),
                Arguments.of("customer_behavioral_analysis", Map.of("country", "US", "start_date", "12"), "start_date", "must be a DateTime"),
                Arguments.of("segment_customers", Map.of("country", "US"), "segment_name", "is required"),
                Arguments.of("segment_customers", Map.of("segment_name", "VIP", "min_age", "twenty"), "min_age", "must be an Int32"),
                Arguments.of("segment_customers", Map.of("segment_name", "VIP", "max_age", "1.5"), "max_age", "must be an Int32"),
                Arguments.of("segment_customers", Map.of("segment_name", "VIP", "min_lifetime_value", "1e3"), "min_lifetime_value", "must be a Decimal"),
                Arguments.of("segment_customers", Map.of("segment_name", "VIP", "limit", "100001"), "limit", "must be at most 100000"),
                Arguments.of("segment_metrics", Map.of("country", "US", "segment", "VIP"), "segment", "is not a parameter"));
    }

    @ParameterizedTest(name = "{0} {1} -> 400 on {2}")
    @MethodSource("badRequests")
    void badParamsAre400sNamingTheParam(String pipe, Map<String, String> params, String param, String problem) {
        for (StoreDialect dialect : StoreDialect.values()) {
            FakeAnalyticsStore store = new FakeAnalyticsStore(dialect, new QueryResult(List.of(), List.of(), null));
            Map<String, List<String>> query = new LinkedHashMap<>();
            params.forEach((k, v) -> query.put(k, List.of(v)));
            ApiException e = catchThrowableOfType(ApiException.class, () -> new PipeEngine(CATALOG, store).run(pipe, "ws1", query));
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("INVALID_PARAMETER");
            assertThat(e.details()).extracting(ErrorDetail::field).containsExactly(param);
            assertThat(e.getMessage()).contains("'" + param + "'").contains(problem);
            assertThat(store.queries()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} declares the seed's params")
    @MethodSource("declaredParams")
    void paramsDefaultsAndTypesAreTheSeeds(String pipe, List<String> declared) {
        assertThat(CATALOG.find(pipe).orElseThrow().params())
                .extracting(p -> p.name() + " " + p.type().typeName() + (p.required() ? " required" : "")
                        + p.defaultText().map(d -> " default=" + d).orElse(""))
                .containsExactlyElementsOf(declared);
    }

    static Stream<Arguments> declaredParams() {
        return Stream.of(
                Arguments.of("customer_purchase_history", List.of("customer_id String required", "start_date DateTime",
                        "end_date DateTime", "category_id String", "limit Int32 default=50")),
                Arguments.of("customer_segmentation_suggestions", List.of()),
                Arguments.of("customer_behavioral_analysis", List.of("start_date DateTime", "end_date DateTime",
                        "event_type String", "country String", "device_type String")),
                Arguments.of("segment_customers", List.of("segment_name String required", "country String", "min_age Int32",
                        "max_age Int32", "min_lifetime_value Decimal", "limit Int32 default=1000")),
                Arguments.of("segment_metrics", List.of("country String")));
    }
}
