package io.tributary.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.fuzz.FuzzInputs;
import io.tributary.platform.fuzz.Gen;
import io.tributary.platform.fuzz.PropertyRun;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the JSON/form body reader of the CRUD write routes: any body either reads or fails with a
 * 400 {@link ApiException} that names the problem (a line and column for malformed JSON, the
 * field for a field of the wrong type) without internals; nothing else is ever thrown.
 */
class RequestFieldsFuzzTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Set<String> LISTS = Set.of("tags");
    private static final Set<String> MAPS = Set.of("attributes");

    @Test
    void arbitraryJsonBodiesReadOrFailWithANamed400() {
        PropertyRun.check(2_000, jsonBodies(), body -> check("application/json", body));
    }

    @Test
    void arbitraryFormBodiesReadOrFailWithANamed400() {
        PropertyRun.check(2_000, formBodies(), body -> check(FORM, body));
    }

    private static void check(String contentType, String body) {
        RequestFields fields;
        try {
            fields = RequestFields.parse(contentType, body, LISTS, MAPS);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            String all = e.getMessage() + " " + e.details().stream().map(d -> d.field() + ": " + d.message()).collect(Collectors.joining("; "));
            FuzzInputs.assertCleanMessage(all, body);
            boolean named = e.getMessage().contains(" at line ") || e.getMessage().contains("exceeds the maximum allowed") || e.getMessage().startsWith("the body must be a JSON object")
                    || (!e.details().isEmpty() && e.details().stream().allMatch(d -> d.field() != null));
            assertThat(named).as("names what was wrong: %s", all).isTrue();
            return;
        }
        for (String name : fields.names()) {
            assertThat(fields.getAll(name)).doesNotContainNull();
        }
    }

    private static Function<RandomGenerator, String> jsonBodies() {
        return Gen.oneOf(FuzzInputs.anyText(),
                FuzzInputs.mutated(Gen.elementOf(
                        "{\"name\": \"VIP\", \"rank\": 3, \"description\": null}",
                        "{\"tags\": [\"a\", \"b\"], \"attributes\": {\"plan\": \"pro\", \"seats\": 4, \"beta\": true}}",
                        "{\"customer_id\": \"c-1\", \"details\": \"x\\u0000y\", \"criteria\": \"spend > $1000\"}")),
                Gen.ints(1, 3_000).andThen(n -> "{\"a\":" + "[".repeat(n) + "]".repeat(n) + "}"),
                Gen.ints(1, 3_000).andThen(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)));
    }

    private static Function<RandomGenerator, String> formBodies() {
        return Gen.oneOf(FuzzInputs.anyText(),
                FuzzInputs.mutated(Gen.elementOf(
                        "customer_id=WAz8eIbvDR60rouK&details=Customer+frequently&criteria=spend+%3E+%241000",
                        "tags=a&tags=b&attributes[plan]=pro&attributes[seats]=4",
                        "name=%E2%9C%93&rank=3")));
    }
}
