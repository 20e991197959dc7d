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
 * as absent. A field is single-valued unless the route names it a list field: then it may also be a
 * JSON array of strings or a repeated form field (forms have no arrays); or a map field: a JSON
 * object of scalar values, or form fields {@code name[key]=value} (Stripe's metadata style). Every
 * problem is a 400 naming the field.
 */
public final class RequestFields {
    /** What the APIs take for an email address: something@something.tld, without spaces. */
    public static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** Bodies of the write routes are flat objects (maps one level down): deep nesting is refused early. */
    private static final ObjectMapper JSON = Json.newMapper(com.fasterxml.jackson.core.StreamReadConstraints.builder()
            .maxNestingDepth(JsonErrors.MAX_NESTING_DEPTH).build());
    private static final String FORM = "application/x-www-form-urlencoded";

    /** Each field's values in body order: one for a single-valued field, none for an empty JSON array. */
    private final Map<String, List<String>> values;
    /** Map fields: each key's value, in body order. */
    private final Map<String, Map<String, String>> maps;

    private RequestFields(Map<String, List<String>> values) {
        this(values, new LinkedHashMap<>());
    }

    private RequestFields(Map<String, List<String>> values, Map<String, Map<String, String>> maps) {
        this.values = values;
        this.maps = maps;
    }

    public static RequestFields of(Map<String, String> values) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        values.forEach((name, value) -> lists.put(name, List.of(value)));
        return new RequestFields(lists);
    }

    /**
     * Parses {@code body} as form fields when {@code contentType} says so (curl -d sends it), else
     * as a JSON object; an empty body has no fields.
     */
    public static RequestFields parse(String contentType, String body) {
        return parse(contentType, body, Set.of());
    }

    /**
     * As {@link #parse(String, String)}, where each field of {@code listFields} may hold several
     * values (read them with {@link #getAll}): a JSON array of strings, or the form field repeated.
     */
    public static RequestFields parse(String contentType, String body, Set<String> listFields) {
        return parse(contentType, body, listFields, Set.of());
    }

    /** As {@link #parse(String, String, Set)}, where each field of {@code mapFields} is a map (read it with {@link #getMap}). */
    public static RequestFields parse(String contentType, String body, Set<String> listFields, Set<String> mapFields) {
        if (body == null || body.isBlank()) {
            return new RequestFields(new LinkedHashMap<>());
        }
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(FORM)) {
            return form(body, listFields, mapFields);
        }
        return json(body, listFields, mapFields);
    }

    private static RequestFields form(String body, Set<String> listFields, Set<String> mapFields) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
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
                // URLDecoder's message names itself and repeats the input: say what a client must fix instead
                problems.add(ErrorDetail.field(pair, "is not valid form encoding: a '%' must be followed by two hex digits"
                        + " (send a literal % as %25)"));
                continue;
            }
            int bracket = name.indexOf('[');
            if (bracket > 0 && name.endsWith("]") && mapFields.contains(name.substring(0, bracket))) {
                String key = name.substring(bracket + 1, name.length() - 1);
                if (key.isEmpty() || maps.computeIfAbsent(name.substring(0, bracket), n -> new LinkedHashMap<>()).putIfAbsent(key, value) != null) {
                    problems.add(ErrorDetail.field(name, key.isEmpty() ? "needs a key: " + name.substring(0, bracket) + "[key]=value"
                            : "is given more than once"));
                }
                continue;
            }
            List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!given.isEmpty() && !listFields.contains(name)) {
                problems.add(ErrorDetail.field(name, "is given more than once"));
            }
            given.add(value);
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the form body is invalid", problems);
        }
        return new RequestFields(values, maps);
    }

    /** The body as a JSON object; 400 naming line and column when it is not valid JSON, or what it is when not an object. */
    public static JsonNode jsonObject(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("the body is not valid JSON" + where + ": " + JsonErrors.reason(e));
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object (or form fields), not "
                    + (root == null || root.isMissingNode() ? "empty" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        return root;
    }

    private static RequestFields json(String body, Set<String> listFields, Set<String> mapFields) {
        JsonNode root = jsonObject(body);
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        List<ErrorDetail> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (mapFields.contains(field.getKey())) {
                if (!value.isObject()) {
                    problems.add(ErrorDetail.field(field.getKey(), "must be an object of string, number or boolean values"));
                    continue;
                }
                Map<String, String> entries = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> e = value.fields(); e.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = e.next();
                    if (entry.getValue().isContainerNode()) {
                        problems.add(ErrorDetail.field(field.getKey() + "." + entry.getKey(), "must be a string, number or boolean"));
                    } else if (!entry.getValue().isNull()) {
                        entries.put(entry.getKey(), entry.getValue().asText());
                    }
                }
                maps.put(field.getKey(), entries);
                continue;
            }
            if (value.isArray() && listFields.contains(field.getKey())) {
                List<String> items = new ArrayList<>();
                boolean allStrings = true;
                for (JsonNode item : value) {
                    allStrings &= item.isTextual();
                    items.add(item.asText());
                }
                if (!allStrings) {
                    problems.add(ErrorDetail.field(field.getKey(), "must be a string or an array of strings"));
                    continue;
                }
                values.put(field.getKey(), items);
                continue;
            }
            if (value.isContainerNode()) {
                problems.add(ErrorDetail.field(field.getKey(), "must be a string, not " + (value.isArray() ? "an array" : "an object")));
                continue;
            }
            values.put(field.getKey(), List.of(value.asText()));
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the body has fields of the wrong type", problems);
        }
        return new RequestFields(values, maps);
    }

    /** 400 naming every field that is not in {@code allowed}. */
    public RequestFields allowOnly(Collection<String> allowed) {
        return rejectAny("unknown field", names().stream().filter(name -> !allowed.contains(name))
                .map(name -> ErrorDetail.field(name, "is not a field of this resource (expected one of " + String.join(", ", allowed) + ")"))
                .toList());
    }

    /** 400 naming every field of {@code required} that is missing or blank. */
    public RequestFields require(Collection<String> required) {
        return rejectAny("missing required field", required.stream()
                .filter(name -> values.getOrDefault(name, List.of()).stream().allMatch(String::isBlank))
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

    /** The value of a single-valued field (of a list field: its first value). */
    public Optional<String> get(String name) {
        return getAll(name).stream().findFirst();
    }

    /** Every value of a list field, in body order; empty when absent. */
    public List<String> getAll(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** The entries of a map field; empty when absent. */
    public Map<String, String> getMap(String name) {
        return Map.copyOf(maps.getOrDefault(name, Map.of()));
    }

    /** Whether the body names {@code name} (a map field counts even when empty: it replaces the map). */
    public boolean has(String name) {
        return values.containsKey(name) || maps.containsKey(name);
    }

    /** Every field the body names, in body order (map fields after the others). */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(values.keySet());
        names.addAll(maps.keySet());
        return names;
    }

    public boolean isEmpty() {
        return values.isEmpty() && maps.isEmpty();
    }
}
