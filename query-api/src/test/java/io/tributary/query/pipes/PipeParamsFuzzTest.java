package io.tributary.query.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.fuzz.FuzzInputs;
import io.tributary.platform.fuzz.Gen;
import io.tributary.platform.fuzz.PropertyRun;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.store.BoundQuery;
import io.tributary.platform.store.QueryParam;
import io.tributary.platform.store.StoreDialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every parameter of every shipped pipe (the classpath catalog) and every
 * {@link PipeParamType}: arbitrary and injection text either parses or fails with 400
 * INVALID_PARAMETER naming the parameter; whatever parses is bound — the rendered SQL of both
 * dialects never contains the value, which appears only among the typed {@link QueryParam}s.
 */
class PipeParamsFuzzTest {
    private static final PipeCatalog CATALOG = PipeCatalog.fromClasspath(PipeParamsFuzzTest.class.getClassLoader());

    record Call(PipeDefinition pipe, PipeParam param, String value) {
        @Override
        public String toString() {
            return pipe.name() + "?" + param.name() + "=" + value;
        }
    }

    @Test
    void everyPipeParamTakesAnyTextAsABoundValueOrANamed400() {
        PropertyRun.check(4_000, calls(), PipeParamsFuzzTest::takesAsABoundValueOrANamed400);
    }

    private static void takesAsABoundValueOrANamed400(Call call) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (PipeParam p : call.pipe().params()) {
            if (p.required() && !p.name().equals(call.param().name())) {
                query.put(p.name(), List.of(validValue(p)));
            }
        }
        query.put(call.param().name(), List.of(call.value()));
        PipeArguments arguments;
        try {
            arguments = PipeArguments.parse(call.pipe(), query);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("INVALID_PARAMETER");
            assertThat(e.details()).extracting(d -> d.field()).containsExactly(call.param().name());
            assertThat(e.getMessage()).startsWith("parameter '" + call.param().name() + "' ");
            FuzzInputs.assertCleanMessage(e.getMessage(), call.value());
            return;
        }
        Map<String, Object> values = new HashMap<>(arguments.values());
        values.put(PipeTemplate.WORKSPACE_ID, "ws-fuzz");
        for (StoreDialect dialect : StoreDialect.values()) {
            BoundQuery bound = call.pipe().template(dialect).render(values);
            assertBound(bound, call, arguments.values().get(call.param().name()));
        }
    }

    /** The value is among the bound parameters and, when it is text the template does not already hold, absent from the SQL. */
    private static void assertBound(BoundQuery bound, Call call, Object value) {
        String templateText = call.pipe().template(StoreDialect.DUCKDB).toString() + call.pipe().template(StoreDialect.CLICKHOUSE);
        if (value instanceof String s && s.strip().length() >= 3 && !templateText.contains(s.strip())) {
            assertThat(bound.sql()).as("SQL of %s", call).doesNotContain(s.strip());
        }
        assertThat(bound.params()).extracting(QueryParam::value).contains("ws-fuzz");
    }

    record Typed(PipeParamType type, String text) {
    }

    @Test
    void everyParamTypeParsesOrSaysWhatItMustBe() {
        Function<RandomGenerator, PipeParamType> types = Gen.elementOf(PipeParamType.values());
        Function<RandomGenerator, String> values = values();
        PropertyRun.check(2_000, random -> new Typed(types.apply(random), values.apply(random)), typed -> {
            try {
                Object value = typed.type().parse(typed.text());
                assertThat(typed.type().valueType().accepts(value)).isTrue();
            } catch (ParamValueException e) {
                assertThat(e.getMessage()).matches("(must be |is out of range ).*");
                FuzzInputs.assertCleanMessage(e.getMessage(), typed.text());
            }
        });
    }

    /** The unit-level proof that pipe params are bound: classic injection strings end up as QueryParams, never in the SQL. */
    @Test
    void injectionStringsInStringParamsAreBoundNeverRendered() {
        List<String> checked = new ArrayList<>();
        for (PipeDefinition pipe : CATALOG.all()) {
            for (PipeParam param : pipe.params()) {
                if (param.type() != PipeParamType.STRING || !param.allowedValues().isEmpty()) {
                    continue;
                }
                for (String attack : List.of("' OR 1=1 --", "'; DROP TABLE customer_events; --", "\") OR (\"1\"=\"1", "{{workspace_id}}")) {
                    Map<String, List<String>> query = new LinkedHashMap<>();
                    pipe.params().stream().filter(p -> p.required() && p != param).forEach(p -> query.put(p.name(), List.of(validValue(p))));
                    query.put(param.name(), List.of(attack));
                    Map<String, Object> values = new HashMap<>(PipeArguments.parse(pipe, query).values());
                    values.put(PipeTemplate.WORKSPACE_ID, "ws-fuzz");
                    for (StoreDialect dialect : StoreDialect.values()) {
                        BoundQuery bound = pipe.template(dialect).render(values);
                        assertThat(bound.sql()).doesNotContain(attack);
                        assertThat(bound.params()).contains(QueryParam.string(attack));
                    }
                }
                checked.add(pipe.name() + "." + param.name());
            }
        }
        assertThat(checked).isNotEmpty();
    }

    private static Function<RandomGenerator, Call> calls() {
        List<Map.Entry<PipeDefinition, PipeParam>> params = new ArrayList<>();
        CATALOG.all().forEach(pipe -> pipe.params().forEach(p -> params.add(Map.entry(pipe, p))));
        assertThat(params).isNotEmpty();
        Function<RandomGenerator, Map.Entry<PipeDefinition, PipeParam>> pick = Gen.elementOf(params);
        Function<RandomGenerator, String> values = values();
        return random -> {
            Map.Entry<PipeDefinition, PipeParam> e = pick.apply(random);
            return new Call(e.getKey(), e.getValue(), values.apply(random));
        };
    }

    private static Function<RandomGenerator, String> values() {
        return Gen.oneOf(FuzzInputs.anyText(), FuzzInputs.mutated(Gen.elementOf(
                "2023-01-01 00:00:00", "2023-06-15T14:30:45Z", "2024-02-29", "49.99", "100", "-1", "true", "cust-789", "page_view", "1e3")));
    }

    static String validValue(PipeParam p) {
        if (!p.allowedValues().isEmpty()) {
            return p.allowedValues().get(0);
        }
        return switch (p.type()) {
            case STRING -> "cust-1";
            case INT32, INT64 -> p.min().map(PipeValues::text).orElse("1");
            case FLOAT64, DECIMAL -> p.min().map(PipeValues::text).orElse("1.5");
            case DATE -> "2024-01-01";
            case DATETIME -> "2024-01-01 00:00:00";
            case BOOLEAN -> "true";
        };
    }
}
