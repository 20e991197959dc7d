package io.tributary.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.ValueKind;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerUploadParserTest {
    private static final HealthSettings SETTINGS = HealthSettings.empty("ws")
            .withAttributes(Map.of("country_name", ValueKind.STRING, "customers_count", ValueKind.NUMBER, "has_avatar", ValueKind.BOOLEAN), 1)
            .withMetrics(Map.of("country", ValueKind.STRING, "has_picture", ValueKind.BOOLEAN, "resolved_tickets", ValueKind.NUMBER,
                    "created_at", ValueKind.DATE), 1);

    /** The seed's "Full Request Body Example", as written. */
    private static final String SEED_FULL_BODY = """
            {
            "customers": [
            {
            "external_id": "12345",
            "name": "Knapp-Cruz Inc.",
            "owner_email": "owner@example.com",
            "attributes": {
            "crm_link": "https://example.com",
            "contact_email": "example@example.com",
            "renewal_date": "2024-05-25",
            "country_name": "Czech Republic",
            "customers_count": 99,
            "has_avatar": true
            },
            "metrics": [
            {
            "date": "2024-04-29",
            "country": "Czechia",
            "has_picture": true,
            "resolved_tickets": 39,
            "created_at": "2024-08-15"
            }
            ]
            }
            ]
            }""";

    private static ParsedUpload parse(String body, HealthSettings settings, int max) {
        return CustomerUploadParser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), settings, max);
    }

    private static List<String> problems(String body) {
        try {
            parse(body, SETTINGS, 3);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.details().stream().map(d -> d.field() + ": " + d.message()).toList();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void theSeedsFullBodyIsReadWithEveryValueAsCanonicalText() {
        ParsedUpload upload = parse(SEED_FULL_BODY, SETTINGS, 10);
        assertThat(upload.customers()).hasSize(1);
        UploadedCustomer c = upload.customers().get(0);
        assertThat(c.externalId()).isEqualTo("12345");
        assertThat(c.ownerEmail()).isEqualTo("owner@example.com");
        assertThat(c.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("crm_link", "https://example.com", "contact_email",
                "example@example.com", "renewal_date", "2024-05-25", "country_name", "Czech Republic", "customers_count", "99", "has_avatar", "true"));
        assertThat(c.metrics()).containsExactly(new UploadedCustomer.Dated(LocalDate.of(2024, 4, 29), Map.of("country", "Czechia",
                "has_picture", "true", "resolved_tickets", "39", "created_at", "2024-08-15")));
        assertThat(upload.ignoredAttributes()).isEmpty();
        assertThat(upload.ignoredMetrics()).isEmpty();
    }

    @Test
    void keysWithoutADefinitionAreIgnoredAndListedCaseSensitively() {
        ParsedUpload upload = parse(SEED_FULL_BODY, HealthSettings.empty("ws"), 10);
        UploadedCustomer c = upload.customers().get(0);
        assertThat(c.attributes()).as("system attributes always exist").containsOnlyKeys("crm_link", "contact_email", "renewal_date");
        assertThat(c.metrics().get(0).values()).isEmpty();
        assertThat(upload.ignoredAttributes()).containsExactly("country_name", "customers_count", "has_avatar");
        assertThat(upload.ignoredMetrics()).containsExactly("country", "created_at", "has_picture", "resolved_tickets");
        ParsedUpload cased = parse("{\"customers\":[{\"external_id\":\"a\",\"name\":\"A\",\"attributes\":{\"Country_Name\":\"x\"}}]}", SETTINGS, 10);
        assertThat(cased.ignoredAttributes()).containsExactly("Country_Name");
        assertThat(parse("{\"customers\":[{\"external_id\":\"a\",\"name\":\"A\",\"metrics\":[{\"date\":\"2024-01-01\",\"resolved_tickets\":2.50}]}]}",
                SETTINGS, 10).customers().get(0).metrics().get(0).values()).containsEntry("resolved_tickets", "2.5");
    }

    @Test
    void everyProblemIsReportedByCustomerIndexAndField() {
        assertThat(problems("""
                {"customers": [
                  {"external_id": "", "name": "A", "owner_email": "x@y"},
                  {"external_id": "b", "name": 7, "colour": "red"},
                  {"external_id": "c", "name": "C", "attributes": {"customers_count": "99", "has_avatar": 1, "renewal_date": "25/05/2024"},
                   "metrics": [{"date": "2024-02-30", "resolved_tickets": "39"}, {"country": "Czechia"}, {"date": "2024-01-01", "created_at": 5},
                               {"date": "2024-01-01"}, 7]}
                ], "extra": true}""")).containsExactlyInAnyOrder(
                "customers[0].external_id: must be a non-empty string, got string \"\"",
                "customers[0].owner_email: must be an email address of at most 255 characters",
                "customers[1].name: must be a non-empty string, got number 7",
                "customers[1].colour: is not a field of a customer (external_id, name, owner_email, attributes, metrics)",
                "customers[2].attributes.customers_count: expected a number, got string \"99\"",
                "customers[2].attributes.has_avatar: expected a boolean, got number 1",
                "customers[2].attributes.renewal_date: expected a date (YYYY-MM-DD), got string \"25/05/2024\"",
                "customers[2].metrics[0].date: must be a date YYYY-MM-DD, got string \"2024-02-30\"",
                "customers[2].metrics[0].resolved_tickets: expected a number, got string \"39\"",
                "customers[2].metrics[1].date: is required",
                "customers[2].metrics[2].created_at: expected a date (YYYY-MM-DD), got number 5",
                "customers[2].metrics[3].date: 2024-01-01 is given twice: dates must be unique in the metrics array",
                "customers[2].metrics[4]: must be an object",
                "extra: is not a field of an upload (customers)");
    }

    @Test
    void limitsOfTheSeedAndOfTheUpload() {
        StringBuilder metrics = new StringBuilder("[");
        for (int i = 0; i < 201; i++) {
            metrics.append(i == 0 ? "" : ",").append("{\"date\":\"").append(LocalDate.of(2024, 1, 1).plusDays(i)).append("\"}");
        }
        metrics.append(']');
        assertThat(problems("{\"customers\":[{\"external_id\":\"a\",\"name\":\"A\",\"metrics\":" + metrics + "}]}"))
                .containsExactly("customers[0].metrics: has 201 items, at most 200");
        assertThat(problems("{\"customers\":[{\"external_id\":\"" + "x".repeat(256) + "\",\"name\":\"" + "y".repeat(255) + "\"}]}"))
                .containsExactly("customers[0].external_id: is 256 characters long, at most 255");
        assertThat(problems("{\"customers\":[{\"external_id\":\"a\",\"name\":\"A\"},{\"external_id\":\"a\",\"name\":\"B\"}]}"))
                .containsExactly("customers[1].external_id: 'a' is given twice in this upload");
        assertThat(problems("{\"customers\":[" + "{\"external_id\":\"a\",\"name\":\"A\"},".repeat(3) + "{\"external_id\":\"d\",\"name\":\"D\"}]}"))
                .contains("customers: holds more than 3 customers: split the upload");
        assertThat(problems("{}")).containsExactly("customers: is required: the body is {\"customers\": [...]}");
        assertThat(problems("{\"customers\": []}")).containsExactly("customers: must hold at least one customer");
        assertThat(problems("{\"customers\": {}}")).containsExactly("customers: must be an array of customers");
    }

    @Test
    void malformedJsonIsA400WithLineAndColumn() {
        assertThatThrownBy(() -> parse("{\"customers\": [\n{\"external_id\": }]}", SETTINGS, 10)).isInstanceOf(ApiException.class)
                .hasMessageContaining("not valid JSON at line 2, column");
        assertThatThrownBy(() -> parse("[1]", SETTINGS, 10)).isInstanceOf(ApiException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("", SETTINGS, 10)).isInstanceOf(ApiException.class);
        byte[] invalidUtf8 = {'{', '"', 'c', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertThatThrownBy(() -> CustomerUploadParser.parse(new ByteArrayInputStream(invalidUtf8), SETTINGS, 10))
                .isInstanceOf(ApiException.class).hasMessageContaining("not valid JSON");
        List<ErrorDetail> none = List.of();
        assertThat(none).isEmpty();
    }

    @Test
    void aHundredProblemsAreShownAndTheRestCounted() {
        String many = "{\"customers\":[" + "{\"name\":\"A\"},".repeat(149) + "{\"name\":\"A\"}]}";
        assertThatThrownBy(() -> parse(many, SETTINGS, 1000)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.details()).hasSize(CustomerUploadParser.MAX_PROBLEMS);
            assertThat(e.getMessage()).startsWith("150 problems in the upload (the first 100 of 150 shown)");
        });
    }
}
