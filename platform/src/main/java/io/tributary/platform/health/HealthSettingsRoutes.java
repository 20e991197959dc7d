package io.tributary.platform.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.RequestFields;
import io.tributary.platform.kafka.KafkaCalls;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The health-score settings of the caller's workspace (admin scope): attribute and metric
 * definitions ({@code PUT|DELETE /api/v1/attributes/{codename}}, {@code /api/v1/metrics/{codename}},
 * body {@code {"type": "number"}}), the scoring configuration ({@code PUT|DELETE /api/v1/scoring}),
 * members ({@code PUT|DELETE /api/v1/members/{email}}) and the webhook ({@code PUT|DELETE
 * /api/v1/webhook}) on the gateway; {@code GET /api/v1/settings} shows them all (query role).
 */
public final class HealthSettingsRoutes {
    public static final String PATH = "/api/v1";
    static final Pattern CODENAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final String CODENAME_RULE = "codenames are 1 to 64 characters of A-Z, a-z, 0-9 and _, not starting with a digit";
    static final int MAX_COMPONENTS = 50;
    static final int MAX_DEFINITIONS = 500;
    static final int MAX_MEMBERS = 1_000;

    private final HealthSettingsStore store;
    private final RequestAuth auth;

    private HealthSettingsRoutes(HealthSettingsStore store, RequestAuth auth) {
        this.store = Objects.requireNonNull(store);
        this.auth = Objects.requireNonNull(auth);
    }

    public static HttpRoutes writes(HealthSettingsStore store, RequestAuth auth) {
        HealthSettingsRoutes r = new HealthSettingsRoutes(store, auth);
        return app -> {
            app.put(PATH + "/attributes/{codename}", ctx -> r.define(ctx, ScoringConfig.Source.ATTRIBUTE));
            app.delete(PATH + "/attributes/{codename}", ctx -> r.undefine(ctx, ScoringConfig.Source.ATTRIBUTE));
            app.put(PATH + "/metrics/{codename}", ctx -> r.define(ctx, ScoringConfig.Source.METRIC));
            app.delete(PATH + "/metrics/{codename}", ctx -> r.undefine(ctx, ScoringConfig.Source.METRIC));
            app.put(PATH + "/scoring", r::putScoring);
            app.delete(PATH + "/scoring", ctx -> r.change(ctx, (s, at) -> s.withScoring(null, at)));
            app.put(PATH + "/members/{email}", r::putMember);
            app.delete(PATH + "/members/{email}", r::deleteMember);
            app.put(PATH + "/webhook", r::putWebhook);
            app.delete(PATH + "/webhook", ctx -> r.change(ctx, (s, at) -> s.withWebhookUrl(null, at)));
        };
    }

    public static HttpRoutes reads(HealthSettingsStore store, RequestAuth auth) {
        HealthSettingsRoutes r = new HealthSettingsRoutes(store, auth);
        return app -> app.get(PATH + "/settings", ctx -> {
            Principal caller = r.auth.require(ctx, Scope.ADMIN);
            ctx.json(render(kafka(() -> store.latest(caller.workspaceId()))));
        });
    }

    private void define(Context ctx, ScoringConfig.Source source) {
        String codename = codename(ctx);
        JsonNode body = RequestFields.jsonObject(ctx.body());
        onlyFields(body, Set.of("type"));
        ValueKind kind = ValueKind.parse(body.path("type").asText("")).orElseThrow(() -> ApiException.badRequest("invalid type",
                ErrorDetail.field("type", "must be one of " + ValueKind.names())));
        boolean attribute = source == ScoringConfig.Source.ATTRIBUTE;
        if (attribute && HealthSettings.SYSTEM_ATTRIBUTES.containsKey(codename)) {
            throw ApiException.badRequest("'" + codename + "' is a system attribute", ErrorDetail.field("codename",
                    "system attributes (" + String.join(", ", new TreeMap<>(HealthSettings.SYSTEM_ATTRIBUTES).keySet()) + ") always exist"));
        }
        if (!attribute && codename.equals("date")) {
            throw ApiException.badRequest("'date' names the date of a metrics item", ErrorDetail.field("codename", "must not be 'date'"));
        }
        change(ctx, (s, at) -> {
            Map<String, ValueKind> defs = new TreeMap<>(attribute ? s.attributes() : s.metrics());
            if (!defs.containsKey(codename) && defs.size() >= MAX_DEFINITIONS) {
                throw ApiException.badRequest("too many definitions", ErrorDetail.field("codename", "a workspace has at most " + MAX_DEFINITIONS));
            }
            if (!kind.scorable() && s.scoringConfig().map(c -> c.uses(source, codename)).orElse(false)) {
                throw conflict(source.wire() + " '" + codename + "' is a scoring component, which needs a number or boolean type");
            }
            defs.put(codename, kind);
            return attribute ? s.withAttributes(defs, at) : s.withMetrics(defs, at);
        });
    }

    private void undefine(Context ctx, ScoringConfig.Source source) {
        String codename = codename(ctx);
        boolean attribute = source == ScoringConfig.Source.ATTRIBUTE;
        change(ctx, (s, at) -> {
            Map<String, ValueKind> defs = new TreeMap<>(attribute ? s.attributes() : s.metrics());
            if (defs.remove(codename) == null) {
                throw ApiException.notFound("no " + source.wire() + " '" + codename + "'"
                        + (attribute && HealthSettings.SYSTEM_ATTRIBUTES.containsKey(codename) ? " to delete: system attributes always exist" : ""));
            }
            if (s.scoringConfig().map(c -> c.uses(source, codename)).orElse(false)) {
                throw conflict(source.wire() + " '" + codename + "' is a scoring component: change the scoring first");
            }
            return attribute ? s.withAttributes(defs, at) : s.withMetrics(defs, at);
        });
    }

    private void putScoring(Context ctx) {
        JsonNode body = RequestFields.jsonObject(ctx.body());
        change(ctx, (s, at) -> s.withScoring(parseScoring(body, s), at));
    }

    private void putMember(Context ctx) {
        String email = ctx.pathParam("email");
        if (email.length() > 255 || !RequestFields.EMAIL.matcher(email).matches()) {
            throw ApiException.invalidParam("email", "must be an email address of at most 255 characters");
        }
        String body = ctx.body();
        JsonNode fields = body.isBlank() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : RequestFields.jsonObject(body);
        if (!fields.isMissingNode()) {
            onlyFields(fields, Set.of("name"));
        }
        String name = fields.path("name").isTextual() ? fields.path("name").asText() : null;
        if (name != null && name.length() > 255) {
            throw ApiException.badRequest("name is too long", ErrorDetail.field("name", "at most 255 characters"));
        }
        change(ctx, (s, at) -> {
            List<HealthSettings.Member> members = new ArrayList<>(s.members());
            members.removeIf(m -> m.email().equalsIgnoreCase(email));
            if (members.size() >= MAX_MEMBERS) {
                throw ApiException.badRequest("too many members", ErrorDetail.field("email", "a workspace has at most " + MAX_MEMBERS));
            }
            members.add(new HealthSettings.Member(email, name));
            return s.withMembers(members, at);
        });
    }

    private void deleteMember(Context ctx) {
        String email = ctx.pathParam("email");
        change(ctx, (s, at) -> {
            List<HealthSettings.Member> members = new ArrayList<>(s.members());
            if (!members.removeIf(m -> m.email().equalsIgnoreCase(email))) {
                throw ApiException.notFound("no member '" + email + "'");
            }
            return s.withMembers(members, at);
        });
    }

    private void putWebhook(Context ctx) {
        JsonNode body = RequestFields.jsonObject(ctx.body());
        onlyFields(body, Set.of("url"));
        String url = body.path("url").asText("");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://")) || url.length() > 2_048) {
            throw ApiException.badRequest("invalid webhook url", ErrorDetail.field("url", "must be an http:// or https:// URL of at most 2048 characters"));
        }
        change(ctx, (s, at) -> s.withWebhookUrl(url, at));
    }

    private void change(Context ctx, BiFunction<HealthSettings, Long, HealthSettings> change) {
        Principal caller = auth.require(ctx, Scope.ADMIN);
        ctx.json(render(kafka(() -> store.update(caller.workspaceId(), change))));
    }

    private static String codename(Context ctx) {
        String codename = ctx.pathParam("codename");
        if (!CODENAME.matcher(codename).matches()) {
            throw ApiException.invalidParam("codename", CODENAME_RULE);
        }
        return codename;
    }

    /**
     * A scoring configuration from its JSON: {@code components} (source, codename, weight default 1,
     * direction default higher_is_better, normalisation, thresholds) and optional {@code bands}
     * (name, min_score); 400 naming every problem.
     */
    static ScoringConfig parseScoring(JsonNode body, HealthSettings settings) {
        List<ErrorDetail> problems = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("components", "bands").contains(name)) {
                problems.add(ErrorDetail.field(name, "is not a field of a scoring configuration (components, bands)"));
            }
        }
        JsonNode list = body.path("components");
        List<ScoringConfig.Component> components = new ArrayList<>();
        if (!list.isArray() || list.isEmpty() || list.size() > MAX_COMPONENTS) {
            problems.add(ErrorDetail.field("components", "must be an array of 1 to " + MAX_COMPONENTS + " components"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                component(list.get(i), "components[" + i + "]", settings, problems).ifPresent(c -> {
                    if (!seen.add(c.source().wire() + ":" + c.codename())) {
                        problems.add(ErrorDetail.field("components", c.source().wire() + " '" + c.codename() + "' is given twice"));
                    }
                    components.add(c);
                });
            }
        }
        List<ScoringConfig.Band> bands = bands(body.path("bands"), problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid scoring configuration", problems);
        }
        return new ScoringConfig(components, bands);
    }

    private static java.util.Optional<ScoringConfig.Component> component(JsonNode c, String at, HealthSettings settings, List<ErrorDetail> problems) {
        if (!c.isObject()) {
            problems.add(ErrorDetail.field(at, "must be an object"));
            return java.util.Optional.empty();
        }
        int before = problems.size();
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("source", "codename", "weight", "direction", "normalisation", "thresholds").contains(name)) {
                problems.add(ErrorDetail.field(at + "." + name, "is not a field of a component (source, codename, weight, direction, normalisation, thresholds)"));
            }
        }
        ScoringConfig.Source source = ScoringConfig.Source.parse(c.path("source").asText("")).orElse(null);
        if (source == null) {
            problems.add(ErrorDetail.field(at + ".source", "must be metric or attribute"));
        }
        String codename = c.path("codename").asText("");
        if (source != null) {
            java.util.Optional<ValueKind> kind = source == ScoringConfig.Source.METRIC ? settings.metricKind(codename) : settings.attributeKind(codename);
            if (kind.isEmpty()) {
                problems.add(ErrorDetail.field(at + ".codename", "no " + source.wire() + " '" + codename + "' is defined: define it first"));
            } else if (!kind.get().scorable()) {
                problems.add(ErrorDetail.field(at + ".codename", source.wire() + " '" + codename + "' is a " + kind.get().wire()
                        + "; only number and boolean values can be scored"));
            }
        }
        JsonNode w = c.path("weight");
        double weight = w.isMissingNode() ? 1 : w.isNumber() ? w.asDouble() : Double.NaN;
        if (!(weight > 0) || !Double.isFinite(weight) || weight > 1_000_000) {
            problems.add(ErrorDetail.field(at + ".weight", "must be a number above 0 and at most 1000000"));
        }
        ScoringConfig.Direction direction = c.has("direction")
                ? ScoringConfig.Direction.parse(c.path("direction").asText("")).orElse(null) : ScoringConfig.Direction.HIGHER_IS_BETTER;
        if (direction == null) {
            problems.add(ErrorDetail.field(at + ".direction", "must be higher_is_better or lower_is_better"));
        }
        ScoringConfig.Normalisation normalisation = ScoringConfig.Normalisation.parse(c.path("normalisation").asText("")).orElse(null);
        List<Double> thresholds = new ArrayList<>();
        if (normalisation == null) {
            problems.add(ErrorDetail.field(at + ".normalisation", "must be thresholds or percentile"));
        } else if (normalisation == ScoringConfig.Normalisation.THRESHOLDS) {
            JsonNode t = c.path("thresholds");
            boolean ok = t.isArray() && t.size() >= 2 && t.size() <= 20;
            for (int i = 0; ok && i < t.size(); i++) {
                ok = t.get(i).isNumber() && Double.isFinite(t.get(i).asDouble()) && (i == 0 || t.get(i).asDouble() > thresholds.get(i - 1));
                thresholds.add(t.get(i).asDouble());
            }
            if (!ok) {
                problems.add(ErrorDetail.field(at + ".thresholds", "must be 2 to 20 strictly ascending numbers"));
            }
        } else if (c.has("thresholds")) {
            problems.add(ErrorDetail.field(at + ".thresholds", "is only for normalisation thresholds"));
        }
        if (problems.size() > before) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ScoringConfig.Component(source, codename, weight, direction, normalisation, thresholds));
    }

    private static List<ScoringConfig.Band> bands(JsonNode list, List<ErrorDetail> problems) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray() || list.isEmpty() || list.size() > 10) {
            problems.add(ErrorDetail.field("bands", "must be an array of 1 to 10 bands"));
            return List.of();
        }
        List<ScoringConfig.Band> bands = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Double> mins = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            String name = b.path("name").asText("");
            JsonNode min = b.path("min_score");
            if (name.isBlank() || name.length() > 64 || !names.add(name)) {
                problems.add(ErrorDetail.field("bands[" + i + "].name", "must be 1 to 64 characters, unique"));
            }
            if (!min.isNumber() || min.asDouble() < 0 || min.asDouble() > 100 || !mins.add(min.asDouble())) {
                problems.add(ErrorDetail.field("bands[" + i + "].min_score", "must be a number from 0 to 100, unique"));
            }
            bands.add(new ScoringConfig.Band(name, min.asDouble()));
        }
        if (bands.stream().noneMatch(b -> b.minScore() == 0)) {
            problems.add(ErrorDetail.field("bands", "one band must have min_score 0, so that every score has a band"));
        }
        return bands;
    }

    private static void onlyFields(JsonNode body, Set<String> allowed) {
        List<ErrorDetail> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                problems.add(ErrorDetail.field(name, "is not a field here (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
            }
        });
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("unknown field" + (problems.size() == 1 ? "" : "s"), problems);
        }
    }

    private static ApiException conflict(String message) {
        return new ApiException(409, "CONFLICT", message, List.of());
    }

    /** The settings as the API shows them (snake_case; system attributes marked). */
    public static Map<String, Object> render(HealthSettings s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspace_id", s.workspaceId());
        List<Map<String, Object>> attributes = new ArrayList<>();
        s.allAttributes().forEach((codename, kind) -> attributes.add(definition(codename, kind,
                HealthSettings.SYSTEM_ATTRIBUTES.containsKey(codename))));
        body.put("attributes", attributes);
        List<Map<String, Object>> metrics = new ArrayList<>();
        s.metrics().forEach((codename, kind) -> metrics.add(definition(codename, kind, false)));
        body.put("metrics", metrics);
        body.put("scoring", s.scoringConfig().map(HealthSettingsRoutes::renderScoring).orElse(null));
        body.put("members", s.members().stream().map(m -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("email", m.email());
            member.put("name", m.name());
            return member;
        }).toList());
        body.put("webhook_url", s.webhookUrl());
        body.put("updated_at", s.updatedAt() == 0 ? null : Instant.ofEpochMilli(s.updatedAt()).toString());
        return body;
    }

    private static Map<String, Object> definition(String codename, ValueKind kind, boolean system) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("codename", codename);
        d.put("type", kind.wire());
        d.put("system", system);
        return d;
    }

    private static Map<String, Object> renderScoring(ScoringConfig config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("components", config.components().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", c.source().wire());
            m.put("codename", c.codename());
            m.put("weight", c.weight());
            m.put("direction", c.direction().wire());
            m.put("normalisation", c.normalisation().wire());
            if (c.normalisation() == ScoringConfig.Normalisation.THRESHOLDS) {
                m.put("thresholds", c.thresholds());
            }
            return m;
        }).toList());
        out.put("bands", config.bands().stream().map(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", b.name());
            m.put("min_score", b.minScore());
            return m;
        }).toList());
        return out;
    }

    private static <T> T kafka(Supplier<T> call) {
        return KafkaCalls.orUnavailable("the health settings store", call);
    }
}
