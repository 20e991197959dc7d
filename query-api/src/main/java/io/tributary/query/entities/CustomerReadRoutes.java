package io.tributary.query.entities;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.platform.auth.Principal;
import io.tributary.platform.auth.RequestAuth;
import io.tributary.platform.auth.Scope;
import io.tributary.platform.auth.Workspaces;
import io.tributary.platform.entities.CustomerView;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.HttpRoutes;
import io.tributary.platform.http.QueryParams;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.query.StoreCalls;
import io.tributary.query.cache.SnapshotCache;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The read routes of seed 003's customers: {@code GET /customers} (page default 1, limit default
 * 20 max 100, sortOrder asc|desc default desc, search over externalId, email and name), {@code GET
 * /customers/count} and {@code GET /customers/{id}} (or {@code ext_<externalId>}) with scope
 * {@code links:read}; {@code GET /customers/{id}/journey} (page, limit default 50) and
 * {@code /attribution} with scope {@code analytics:read}, served from short-lived snapshots (X-Cache
 * HIT|MISS, Age; a write to the customer changes its record's version and so misses). All need the workspace's
 * {@value Workspaces#REVENUE_TRACKING} entitlement.
 */
public final class CustomerReadRoutes implements HttpRoutes {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final List<String> LIST_PARAMS = List.of("page", "limit", "sortOrder", "search");

    static final int DEFAULT_JOURNEY_LIMIT = 50;

    static final int MAX_SNAPSHOTS = 10_000;

    /** A snapshot's key: the customer at a version (its record's Kafka offset), so that a write to the customer invalidates it, and the page asked for. */
    private record CustomerQuery(String workspaceId, String customerId, long version, int page, int limit) {
    }

    private final CustomerReads reads;
    private final CustomerActivity activity;
    private final RequestAuth auth;
    private final Workspaces workspaces;
    private final SnapshotCache<CustomerQuery, Map<String, Object>> journeys;
    private final SnapshotCache<CustomerQuery, Map<String, Object>> attributions;
    private final CustomerCohorts cohorts;
    private final SnapshotCache<CohortQuery, Map<String, Object>> cohortSnapshots;

    static final int DEFAULT_LTV_MONTHS = 12;
    static final int MAX_LTV_MONTHS = 36;

    private record LtvQuery(String workspaceId, int months) {
    }

    private final SnapshotCache<LtvQuery, Map<String, Object>> ltvSnapshots;

    private record CohortQuery(String workspaceId, CustomerCohorts.GroupBy groupBy, Optional<LocalDate> start, Optional<LocalDate> end) {
    }

    public CustomerReadRoutes(CustomerReads reads, CustomerActivity activity, CustomerCohorts cohorts, RequestAuth auth, Workspaces workspaces,
                              Duration snapshotTtl, MeterRegistry metrics) {
        this.reads = Objects.requireNonNull(reads);
        this.activity = Objects.requireNonNull(activity);
        this.cohorts = Objects.requireNonNull(cohorts);
        this.cohortSnapshots = new SnapshotCache<>("customer_cohorts", snapshotTtl, MAX_SNAPSHOTS, metrics, System::nanoTime);
        this.ltvSnapshots = new SnapshotCache<>("customer_ltv_cohorts", snapshotTtl, MAX_SNAPSHOTS, metrics, System::nanoTime);
        this.auth = Objects.requireNonNull(auth);
        this.workspaces = Objects.requireNonNull(workspaces);
        this.journeys = new SnapshotCache<>("customer_journey", snapshotTtl, MAX_SNAPSHOTS, metrics, System::nanoTime);
        this.attributions = new SnapshotCache<>("customer_attribution", snapshotTtl, MAX_SNAPSHOTS, metrics, System::nanoTime);
    }

    @Override
    public void mount(Javalin app) {
        // the fixed path before the id route, which would otherwise take "count" for an id
        app.get(CustomerView.PATH + "/count", this::count);
        app.get(CustomerView.PATH + "/cohorts", this::cohorts);
        app.get(CustomerView.PATH + "/ltv-cohorts", this::ltvCohorts);
        app.get(CustomerView.PATH, this::list);
        app.get(CustomerView.PATH + "/{id}", this::retrieve);
        app.get(CustomerView.PATH + "/{id}/journey", this::journey);
        app.get(CustomerView.PATH + "/{id}/attribution", this::attribution);
        // A POST, but it writes nothing: it recomputes from the store, so the query role serves it.
        app.post(CustomerView.PATH + "/{id}/recalculate-ltv", this::recalculateLtv);
    }

    private void list(Context ctx) {
        Principal caller = caller(ctx);
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, LIST_PARAMS);
        int page = QueryParams.integer(query, "page", 1, 1, 1_000_000);
        int limit = QueryParams.integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String sortOrder = QueryParams.single(query, "sortOrder").orElse("desc");
        if (!sortOrder.equals("asc") && !sortOrder.equals("desc")) {
            throw ApiException.invalidParam("sortOrder", "must be asc or desc, got '" + sortOrder + "'");
        }
        Optional<String> search = QueryParams.single(query, "search").filter(s -> !s.isBlank());
        NumberedPage<CustomerView> result = StoreCalls.read(ctx, "list customers",
                () -> reads.list(caller.workspaceId(), page, limit, sortOrder.equals("asc"), search));
        ctx.json(result.body(Map.of()));
    }

    private void count(Context ctx) {
        Principal caller = caller(ctx);
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, List.of("search"));
        Optional<String> search = QueryParams.single(query, "search").filter(s -> !s.isBlank());
        long count = StoreCalls.read(ctx, "count customers", () -> reads.count(caller.workspaceId(), search));
        ctx.json(Map.of("count", count));
    }

    private void retrieve(Context ctx) {
        Principal caller = caller(ctx);
        ctx.json(customer(ctx, caller));
    }

    private void journey(Context ctx) {
        Principal caller = caller(ctx, Scope.ANALYTICS_READ);
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, List.of("page", "limit"));
        int page = QueryParams.integer(query, "page", 1, 1, 1_000_000);
        int limit = QueryParams.integer(query, "limit", DEFAULT_JOURNEY_LIMIT, 1, MAX_LIMIT);
        CustomerReads.Versioned versioned = versioned(ctx, caller);
        CustomerView customer = versioned.view();
        render(ctx, journeys.get(new CustomerQuery(caller.workspaceId(), customer.id(), versioned.version(), page, limit),
                () -> StoreCalls.read(ctx, "customer journey", () -> activity.journey(caller.workspaceId(), customer, page, limit))
                        .body(Map.of("customerId", customer.id()))));
    }

    private void attribution(Context ctx) {
        Principal caller = caller(ctx, Scope.ANALYTICS_READ);
        QueryParams.allowOnly(ctx.queryParamMap(), List.of());
        CustomerReads.Versioned versioned = versioned(ctx, caller);
        CustomerView customer = versioned.view();
        render(ctx, attributions.get(new CustomerQuery(caller.workspaceId(), customer.id(), versioned.version(), 0, 0),
                () -> StoreCalls.read(ctx, "customer attribution", () -> activity.attribution(caller.workspaceId(), customer))));
    }

    private void cohorts(Context ctx) {
        Principal caller = caller(ctx, Scope.ANALYTICS_READ);
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, List.of("group_by", "start", "end"));
        String groupByText = QueryParams.single(query, "group_by").orElse(CustomerCohorts.GroupBy.MONTH.id());
        CustomerCohorts.GroupBy groupBy = CustomerCohorts.GroupBy.parse(groupByText).orElseThrow(() -> ApiException.invalidParam("group_by",
                "must be week, month, campaign or source, got '" + groupByText + "'"));
        Optional<LocalDate> start = dateParam(query, "start");
        Optional<LocalDate> end = dateParam(query, "end");
        if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
            throw ApiException.invalidParam("end", "must not be before start (" + start.get() + ")");
        }
        render(ctx, cohortSnapshots.get(new CohortQuery(caller.workspaceId(), groupBy, start, end),
                () -> StoreCalls.read(ctx, "customer cohorts", () -> cohorts.cohorts(caller.workspaceId(), groupBy, start, end))));
    }

    private void ltvCohorts(Context ctx) {
        Principal caller = caller(ctx, Scope.ANALYTICS_READ);
        Map<String, List<String>> query = ctx.queryParamMap();
        QueryParams.allowOnly(query, List.of("months"));
        int months = QueryParams.integer(query, "months", DEFAULT_LTV_MONTHS, 0, MAX_LTV_MONTHS);
        render(ctx, ltvSnapshots.get(new LtvQuery(caller.workspaceId(), months),
                () -> StoreCalls.read(ctx, "customer ltv cohorts", () -> cohorts.ltvCohorts(caller.workspaceId(), months))));
    }

    private static Optional<LocalDate> dateParam(Map<String, List<String>> query, String name) {
        return QueryParams.single(query, name).map(text -> {
            try {
                return LocalDate.parse(text.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.invalidParam(name, "must be a date YYYY-MM-DD, got '" + text + "'");
            }
        });
    }

    private void recalculateLtv(Context ctx) {
        Principal caller = caller(ctx, Scope.LINKS_UPDATE);
        CustomerView customer = customer(ctx, caller);
        ctx.json(StoreCalls.read(ctx, "recalculate ltv", () -> activity.lifetimeValue(caller.workspaceId(), customer, java.time.Instant.now())));
    }

    /** The snapshot's body, saying whether it came from the cache and how old it is. */
    private static void render(Context ctx, SnapshotCache.Lookup<Map<String, Object>> lookup) {
        ctx.header("X-Cache", lookup.hit() ? "HIT" : "MISS");
        ctx.header("Age", Long.toString(lookup.age().toSeconds()));
        ctx.json(lookup.value());
    }

    /** The live customer the route's id names (id or ext_externalId); 404 NOT_FOUND otherwise. */
    private CustomerView customer(Context ctx, Principal caller) {
        return versioned(ctx, caller).view();
    }

    private CustomerReads.Versioned versioned(Context ctx, Principal caller) {
        String id = ctx.pathParam("id");
        return StoreCalls.read(ctx, "retrieve customer", () -> reads.getVersioned(caller.workspaceId(), id))
                .orElseThrow(() -> ApiException.notFound("no customer '" + id + "'"));
    }

    private Principal caller(Context ctx) {
        return caller(ctx, Scope.LINKS_READ);
    }

    private Principal caller(Context ctx, Scope scope) {
        return workspaces.requireEntitled(auth, ctx, scope, Workspaces.REVENUE_TRACKING);
    }
}
