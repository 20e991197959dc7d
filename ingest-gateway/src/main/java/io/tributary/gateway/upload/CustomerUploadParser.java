package io.tributary.gateway.upload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.ValueKind;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.RequestFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads and validates seed 004's upload body, {@code {"customers": [...]}}, as a stream: one
 * customer's JSON at a time, so that a 10,000-customer upload never sits in memory as a tree.
 * Every problem found is reported (400, by customer index and field, the first
 * {@value #MAX_PROBLEMS}); nothing of an invalid body is accepted.
 */
final class CustomerUploadParser {
    static final int MAX_CHARS = 255;
    static final int MAX_METRICS = 200;
    static final int MAX_VALUE_CHARS = 1_024;
    static final int MAX_PROBLEMS = 100;
    private static final Set<String> CUSTOMER_FIELDS = Set.of("external_id", "name", "owner_email", "attributes", "metrics");
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build()).build());

    private final HealthSettings settings;
    private final int maxCustomers;
    private final List<ErrorDetail> problems = new ArrayList<>();
    private int problemCount;
    private final SortedSet<String> ignoredAttributes = new TreeSet<>();
    private final SortedSet<String> ignoredMetrics = new TreeSet<>();

    private CustomerUploadParser(HealthSettings settings, int maxCustomers) {
        this.settings = settings;
        this.maxCustomers = maxCustomers;
    }

    /** The keys of an upload that match no definition (ignored). */
    record IgnoredKeys(SortedSet<String> attributes, SortedSet<String> metrics) {
    }

    /** The upload in {@code body}, validated against the workspace's definitions; 400 listing every problem otherwise. */
    static ParsedUpload parse(InputStream body, HealthSettings settings, int maxCustomers) {
        List<UploadedCustomer> customers = new ArrayList<>();
        IgnoredKeys ignored = parse(body, settings, maxCustomers, customers::add);
        return new ParsedUpload(customers, ignored.attributes(), ignored.metrics());
    }

    /**
     * As {@link #parse(InputStream, HealthSettings, int)}, but each valid customer goes to {@code each}
     * as soon as it is read, in body order, and none is kept here, so that the caller can hold a
     * compact form of a large upload. The upload is valid only if this returns (400 otherwise, after
     * {@code each} may have seen some customers).
     */
    static IgnoredKeys parse(InputStream body, HealthSettings settings, int maxCustomers, Consumer<UploadedCustomer> each) {
        return new CustomerUploadParser(settings, maxCustomers).read(body, each);
    }

    private IgnoredKeys read(InputStream body, Consumer<UploadedCustomer> each) {
        int[] accepted = {0};
        Consumer<UploadedCustomer> counted = c -> {
            accepted[0]++;
            each.accept(c);
        };
        boolean sawCustomers = false;
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("the body must be a JSON object with a customers array",
                        ErrorDetail.field("customers", "is required"));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("customers")) {
                    problem("" + field, "is not a field of an upload (customers)");
                    p.skipChildren();
                } else if (value != JsonToken.START_ARRAY) {
                    sawCustomers = true;
                    problem("customers", "must be an array of customers");
                    p.skipChildren();
                } else {
                    sawCustomers = true;
                    readCustomers(p, counted);
                }
            }
            if (p.nextToken() != null) {
                problem("body", "has data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badRequest("the body is not valid JSON" + where + ": " + io.tributary.platform.http.JsonErrors.reason(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!sawCustomers) {
            problem("customers", "is required: the body is {\"customers\": [...]}");
        } else if (accepted[0] == 0 && problemCount == 0) {
            problem("customers", "must hold at least one customer");
        }
        if (problemCount > 0) {
            List<ErrorDetail> details = new ArrayList<>(problems);
            String more = problemCount > problems.size() ? " (the first " + problems.size() + " of " + problemCount + " shown)" : "";
            throw ApiException.badRequest(problemCount + " problem" + (problemCount == 1 ? "" : "s") + " in the upload" + more
                    + ": " + details.get(0).field() + " " + details.get(0).message(), details);
        }
        return new IgnoredKeys(ignoredAttributes, ignoredMetrics);
    }

    private void readCustomers(JsonParser p, Consumer<UploadedCustomer> customers) throws IOException {
        Set<String> seen = new HashSet<>();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String at = "customers[" + index + "]";
            if (index == maxCustomers) {
                problem("customers", "holds more than " + maxCustomers + " customers: split the upload");
            }
            if (index >= maxCustomers || p.currentToken() != JsonToken.START_OBJECT) {
                if (index < maxCustomers) {
                    problem(at, "must be an object");
                }
                p.skipChildren();
                index++;
                continue;
            }
            JsonNode node = MAPPER.readTree(p);
            customer(node, at).ifPresent(c -> {
                if (!seen.add(c.externalId())) {
                    problem(at + ".external_id", "'" + c.externalId() + "' is given twice in this upload");
                } else {
                    customers.accept(c);
                }
            });
            index++;
        }
    }

    private Optional<UploadedCustomer> customer(JsonNode c, String at) {
        int before = problemCount;
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!CUSTOMER_FIELDS.contains(name)) {
                problem(at + "." + name, "is not a field of a customer (external_id, name, owner_email, attributes, metrics)");
            }
        }
        String externalId = requiredText(c, at, "external_id");
        String name = requiredText(c, at, "name");
        String ownerEmail = null;
        JsonNode owner = c.path("owner_email");
        if (!owner.isMissingNode() && !owner.isNull()) {
            if (!owner.isTextual() || owner.asText().length() > MAX_CHARS || !RequestFields.EMAIL.matcher(owner.asText()).matches()) {
                problem(at + ".owner_email", "must be an email address of at most " + MAX_CHARS + " characters");
            } else {
                ownerEmail = owner.asText();
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = c.path("attributes");
        if (!attrs.isMissingNode() && !attrs.isNull()) {
            if (!attrs.isObject()) {
                problem(at + ".attributes", "must be an object");
            } else {
                attrs.fields().forEachRemaining(e -> {
                    Optional<ValueKind> kind = settings.attributeKind(e.getKey());
                    if (kind.isEmpty()) {
                        ignoredAttributes.add(e.getKey());
                    } else {
                        typed(e.getValue(), kind.get(), at + ".attributes." + e.getKey()).ifPresent(v -> attributes.put(e.getKey(), v));
                    }
                });
            }
        }
        List<UploadedCustomer.Dated> metrics = metrics(c.path("metrics"), at + ".metrics");
        if (problemCount > before) {
            return Optional.empty();
        }
        return Optional.of(new UploadedCustomer(externalId, name, ownerEmail, attributes, metrics));
    }

    private List<UploadedCustomer.Dated> metrics(JsonNode list, String at) {
        List<UploadedCustomer.Dated> metrics = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return metrics;
        }
        if (!list.isArray()) {
            problem(at, "must be an array of metric objects");
            return metrics;
        }
        if (list.size() > MAX_METRICS) {
            problem(at, "has " + list.size() + " items, at most " + MAX_METRICS);
            return metrics;
        }
        Set<LocalDate> dates = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String itemAt = at + "[" + i + "]";
            if (!item.isObject()) {
                problem(itemAt, "must be an object");
                continue;
            }
            JsonNode dateNode = item.path("date");
            LocalDate date = null;
            if (dateNode.isMissingNode() || dateNode.isNull()) {
                problem(itemAt + ".date", "is required");
            } else {
                date = date(dateNode).orElse(null);
                if (date == null) {
                    problem(itemAt + ".date", "must be a date YYYY-MM-DD, got " + describe(dateNode));
                } else if (!dates.add(date)) {
                    problem(itemAt + ".date", date + " is given twice: dates must be unique in the metrics array");
                }
            }
            Map<String, String> values = new LinkedHashMap<>();
            item.fields().forEachRemaining(e -> {
                if (e.getKey().equals("date")) {
                    return;
                }
                Optional<ValueKind> kind = settings.metricKind(e.getKey());
                if (kind.isEmpty()) {
                    ignoredMetrics.add(e.getKey());
                } else {
                    typed(e.getValue(), kind.get(), itemAt + "." + e.getKey()).ifPresent(v -> values.put(e.getKey(), v));
                }
            });
            if (date != null) {
                metrics.add(new UploadedCustomer.Dated(date, values));
            }
        }
        return metrics;
    }

    /** The canonical text of a value of {@code kind}; a problem (and empty) when it has another type; empty for null. */
    private Optional<String> typed(JsonNode v, ValueKind kind, String at) {
        if (v.isNull()) {
            return Optional.empty();
        }
        Optional<String> text = switch (kind) {
            case STRING -> v.isTextual() && v.asText().length() <= MAX_VALUE_CHARS ? Optional.of(v.asText()) : Optional.empty();
            case NUMBER -> v.isNumber() && Double.isFinite(v.asDouble())
                    ? Optional.of(v.isIntegralNumber() && v.canConvertToLong() ? Long.toString(v.asLong()) : Double.toString(v.asDouble()))
                    : Optional.empty();
            case BOOLEAN -> v.isBoolean() ? Optional.of(Boolean.toString(v.asBoolean())) : Optional.empty();
            case DATE -> date(v).map(LocalDate::toString);
        };
        if (text.isEmpty()) {
            String expected = kind == ValueKind.DATE ? "a date (YYYY-MM-DD)" : kind == ValueKind.STRING
                    ? "a string of at most " + MAX_VALUE_CHARS + " characters" : "a " + kind.wire();
            problem(at, "expected " + expected + ", got " + describe(v));
        }
        return text;
    }

    /**
     * A date YYYY-MM-DD: what {@code LocalDate.parse} accepts in 10 characters, read without a
     * DateTimeFormatter (an upload holds up to 2,000,000 dates; the formatter was a quarter of the parse).
     */
    private static Optional<LocalDate> date(JsonNode v) {
        if (!v.isTextual()) {
            return Optional.empty();
        }
        String text = v.asText();
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return Optional.empty();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The number the ASCII digits of text[from, to) make; -1 if any is not a digit. */
    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private String requiredText(JsonNode c, String at, String field) {
        JsonNode v = c.path(field);
        if (v.isMissingNode() || v.isNull()) {
            problem(at + "." + field, "is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problem(at + "." + field, "must be a non-empty string, got " + describe(v));
            return null;
        }
        if (v.asText().length() > MAX_CHARS) {
            problem(at + "." + field, "is " + v.asText().length() + " characters long, at most " + MAX_CHARS);
            return null;
        }
        return v.asText();
    }

    private static String describe(JsonNode v) {
        String type = v.isTextual() ? "string" : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : v.isArray() ? "array"
                : v.isObject() ? "object" : "null";
        if (v.isValueNode()) {
            String text = v.toString();
            return type + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
        }
        return type;
    }

    private void problem(String field, String message) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(ErrorDetail.field(field, message));
        }
    }
}
