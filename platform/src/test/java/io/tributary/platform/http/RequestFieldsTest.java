package io.tributary.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void readsTheFormFieldsCurlDashDSends() {
        // curl -d 'customer_id'="WAz8eIbvDR60rouK" -d 'details'="Customer frequently purchases electronics."
        RequestFields fields = RequestFields.parse(FORM + "; charset=UTF-8",
                "customer_id=WAz8eIbvDR60rouK&details=Customer frequently purchases electronics.&criteria=spend+%3E+%241000");

        assertThat(fields.get("customer_id")).contains("WAz8eIbvDR60rouK");
        assertThat(fields.get("details")).contains("Customer frequently purchases electronics.");
        assertThat(fields.get("criteria")).contains("spend > $1000");
    }

    @Test
    void readsAJsonObjectTakingScalarsAsTextAndNullAsAbsent() {
        RequestFields fields = RequestFields.parse("application/json", "{\"name\": \"VIP\", \"rank\": 3, \"description\": null}");

        assertThat(fields.names()).containsExactly("name", "rank");
        assertThat(fields.get("rank")).contains("3");
    }

    @Test
    void malformedJsonIsA400SayingWhere() {
        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"name\": \"VIP\",\n \"criteria\" }"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("the body is not valid JSON at line 2, column");
                });
        assertThatThrownBy(() -> RequestFields.parse("application/json", "[1, 2]"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("must be a JSON object"));
    }

    @Test
    void nestedValuesRepeatedFormFieldsAndBadEncodingAreNamed() {
        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"name\": [\"a\"], \"criteria\": {}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::field)
                        .containsExactly("name", "criteria"));
        assertThatThrownBy(() -> RequestFields.parse(FORM, "name=a&name=b"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::message)
                        .containsExactly("is given more than once"));
        assertThatThrownBy(() -> RequestFields.parse(FORM, "name=%ZZ"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("the form body is invalid"));
    }

    @Test
    void everyMissingOrEmptyRequiredFieldIsNamed() {
        RequestFields fields = RequestFields.parse(FORM, "customer_id=c1&details=");

        assertThatThrownBy(() -> fields.require(List.of("customer_id", "insight_type", "details")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("missing required fields: insight_type, details");
                    assertThat(e.details()).containsExactly(ErrorDetail.field("insight_type", "is required"),
                            ErrorDetail.field("details", "must not be empty"));
                });
        assertThat(fields.notBlankWhenPresent(List.of("customer_id", "insight_type"))).isSameAs(fields);
        assertThatThrownBy(() -> fields.notBlankWhenPresent(List.of("details")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("details"));
    }

    @Test
    void unknownFieldsAreNamed() {
        RequestFields fields = RequestFields.of(Map.of("name", "VIP"));
        assertThat(fields.allowOnly(List.of("name", "criteria"))).isSameAs(fields);

        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"name\": \"VIP\", \"colour\": \"red\"}")
                .allowOnly(List.of("name", "criteria", "description")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("unknown field: colour");
                    assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("colour");
                });
    }

    @Test
    void aListFieldIsAJsonArrayOfStringsOrARepeatedFormField() {
        RequestFields json = RequestFields.parse("application/json", "{\"name\": \"n\", \"scopes\": [\"a\", \"b\"]}", Set.of("scopes"));
        assertThat(json.getAll("scopes")).containsExactly("a", "b");
        assertThat(json.get("name")).contains("n");
        assertThat(json.getAll("name")).containsExactly("n");
        assertThat(RequestFields.parse("application/json", "{\"scopes\": \"a b\"}", Set.of("scopes")).getAll("scopes"))
                .as("a single string is a list of one").containsExactly("a b");
        assertThat(RequestFields.parse(FORM, "scopes=a&name=n&scopes=b", Set.of("scopes")).getAll("scopes")).containsExactly("a", "b");
        assertThat(RequestFields.parse(FORM, "name=n", Set.of("scopes")).getAll("scopes")).isEmpty();

        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"scopes\": [\"a\", 1]}", Set.of("scopes")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details())
                        .containsExactly(ErrorDetail.field("scopes", "must be a string or an array of strings")));
        assertThatThrownBy(() -> RequestFields.parse(FORM, "scopes=a&name=n&name=m", Set.of("scopes")))
                .as("other fields stay single-valued")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("name"));
        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"scopes\": [], \"name\": [\"\"]}", Set.of("scopes", "name"))
                .require(List.of("scopes", "name")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).containsExactly(
                        ErrorDetail.field("scopes", "must not be empty"), ErrorDetail.field("name", "must not be empty")));
    }

    @Test
    void anEmptyBodyHasNoFields() {
        assertThat(RequestFields.parse(null, "").isEmpty()).isTrue();
        assertThat(RequestFields.parse(FORM, " ").isEmpty()).isTrue();
    }

    @Test
    void mapFieldsAreJsonObjectsOfScalarsOrBracketedFormFields() {
        RequestFields json = RequestFields.parse("application/json",
                "{\"externalId\": \"u1\", \"attributes\": {\"plan\": \"pro\", \"seats\": 5, \"gone\": null}}", Set.of(), Set.of("attributes"));
        assertThat(json.getMap("attributes")).containsExactlyInAnyOrderEntriesOf(Map.of("plan", "pro", "seats", "5"));
        assertThat(json.names()).containsExactly("externalId", "attributes");
        assertThat(json.has("attributes")).isTrue();

        RequestFields form = RequestFields.parse(FORM, "externalId=u1&attributes[plan]=pro&attributes[phone]=%2B44", Set.of(), Set.of("attributes"));
        assertThat(form.getMap("attributes")).containsExactlyInAnyOrderEntriesOf(Map.of("plan", "pro", "phone", "+44"));
        assertThat(form.allowOnly(List.of("externalId", "attributes")).get("externalId")).hasValue("u1");

        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"attributes\": {\"a\": {\"b\": 1}}}", Set.of(), Set.of("attributes")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("attributes.a"));
        assertThatThrownBy(() -> RequestFields.parse("application/json", "{\"attributes\": \"plan=pro\"}", Set.of(), Set.of("attributes")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("attributes"));
        assertThatThrownBy(() -> RequestFields.parse(FORM, "attributes[]=x&attributes[a]=1&attributes[a]=2", Set.of(), Set.of("attributes")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).extracting(ErrorDetail::field)
                        .containsExactly("attributes[]", "attributes[a]"));
        assertThatThrownBy(() -> RequestFields.parse(FORM, "other[a]=1", Set.of(), Set.of("attributes")).allowOnly(List.of("attributes")))
                .as("brackets make a map only of a map field").isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.details()).extracting(ErrorDetail::field).containsExactly("other[a]"));
    }
}
