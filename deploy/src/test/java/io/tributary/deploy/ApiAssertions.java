package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Assertions on the answers of the REST resources: error shape, the fields an error names, the ids of a list. */
final class ApiAssertions {
    private ApiAssertions() {
    }

    /** Asserts the status, the error code and a message; returns the error object. */
    static JsonNode assertError(HttpResponse<String> r, int status, String code, String what) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(status);
        JsonNode error = Http.json(r).get("error");
        assertThat(error.get("code").asText()).as(what).isEqualTo(code);
        assertThat(error.get("message").asText()).as(what).isNotBlank();
        return error;
    }

    /** The fields an error's details name, in order. */
    static List<String> fields(JsonNode error) {
        List<String> out = new ArrayList<>();
        if (error.has("details")) {
            error.get("details").forEach(d -> out.add(d.get("field").asText()));
        }
        return out;
    }

    /** The ids of a 200 list answer's {@code data}, in order. */
    static List<String> ids(HttpResponse<String> list) {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        Http.json(list).get("data").forEach(d -> out.add(d.get("id").asText()));
        return out;
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        return Http.JSON.valueToTree(s).toString();
    }
}
