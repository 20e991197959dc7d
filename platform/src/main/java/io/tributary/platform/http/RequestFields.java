package io.tributary.platform.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of a resource's create or update body (DESIGN.md §6): a JSON object, or form fields
 * ({@code application/x-www-form-urlencoded}, which is what the seeds' {@code curl -d name=value}
 * examples send). Values are strings; JSON numbers and booleans are taken as their text, JSON null
 * as absent. Every problem is a 400 naming the field.
 */
public final class RequestFields {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, String> values;

    private RequestFields(Map<String, String> values) {
        this.values = values;
    }

    public static RequestFields of(Map<String, String> values) {
        return new RequestFields(new LinkedHashMap<>(values));
    }

    /**
     * Parses {@code body} as form fields when {@code contentType} says so (curl -d sends it), else
     * as a JSON object; an empty body has no fields.
     */
    public static RequestFields parse(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return new RequestFields(new LinkedHashMap<>());
        }
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(FORM)) {
            return form(body);
        }
        return json(body);
    }

    private static RequestFields form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        List<ErrorDetail> problems = new ArrayList<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                problems.add(ErrorDetail.field(pair, "is not valid form encoding: " + e.getMessage()));
                continue;
            }
            if (values.putIfAbsent(name, value) != null) {
                problems.add(ErrorDetail.field(name, "is given more than once"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the form body is invalid", problems);
        }
        return new RequestFields(values);
    }

    private static RequestFields json(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object (or form fields), not " + (root == null ? "empty" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<ErrorDetail> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isContainerNode()) {
                problems.add(ErrorDetail.field(field.getKey(), "must be a string, not " + (value.isArray() ? "an array" : "an object")));
                continue;
            }
            values.put(field.getKey(), value.asText());
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the body has fields of the wrong type", problems);
        }
        return new RequestFields(values);
    }

    /** 400 naming every field that is not in {@code allowed}. */
    public RequestFields allowOnly(Collection<String> allowed) {
        return rejectAny("unknown field", values.keySet().stream().filter(name -> !allowed.contains(name))
                .map(name -> ErrorDetail.field(name, "is not a field of this resource (expected one of " + String.join(", ", allowed) + ")"))
                .toList());
    }

    /** 400 naming every field of {@code required} that is missing or blank. */
    public RequestFields require(Collection<String> required) {
        return rejectAny("missing required field", required.stream().filter(name -> values.getOrDefault(name, "").isBlank())
                .map(name -> ErrorDetail.field(name, values.containsKey(name) ? "must not be empty" : "is required"))
                .toList());
    }

    /** This, or a 400 "{problem}(s): field, field" when there are {@code problems}. */
    private RequestFields rejectAny(String problem, List<ErrorDetail> problems) {
        if (problems.isEmpty()) {
            return this;
        }
        throw ApiException.badRequest(problem + (problems.size() == 1 ? "" : "s") + ": "
                + String.join(", ", problems.stream().map(ErrorDetail::field).toList()), problems);
    }

    /** 400 naming every field of {@code names} that is present but blank (an update may omit a field, not empty it). */
    public RequestFields notBlankWhenPresent(Collection<String> names) {
        return require(names.stream().filter(values::containsKey).toList());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Set<String> names() {
        return values.keySet();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
