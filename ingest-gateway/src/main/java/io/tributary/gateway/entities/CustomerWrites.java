package io.tributary.gateway.entities;

import io.tributary.platform.entities.CustomerView;
import io.tributary.platform.http.ApiException;
import io.tributary.platform.http.ErrorDetail;
import io.tributary.platform.http.RequestFields;
import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.ConsumerGroupProgress;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.Customer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes of seed 003's customers: create-or-upsert by externalId, partial update, soft delete with
 * PII scrub, as whole records on the compacted topic customers.
 *
 * <p>externalId is unique among a workspace's live customers. This gateway keeps an index
 * externalId → id of the live customers in its view of the topic, and serialises the writes of one
 * workspace (each holds the lock only to read the topic to its end, check and write), so two
 * requests through it can never give one externalId to two customers. Deleted customers stay in
 * the topic and the store (their events keep counting) but leave the index: a later upsert with the
 * same externalId creates a fresh customer.
 */
public final class CustomerWrites {
    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_KEY_CHARS = 64;
    static final int MAX_VALUE_CHARS = 1_024;
    static final int MAX_URL_CHARS = 2_048;
    private static final Map<String, Integer> MAX_CHARS = Map.of("externalId", EntityWrites.MAX_NAME_CHARS, "email", EntityWrites.MAX_NAME_CHARS,
            "name", EntityWrites.MAX_NAME_CHARS, "avatar", MAX_URL_CHARS, "clickId", EntityWrites.MAX_NAME_CHARS);

    /** What a write did: the customer as it now is, whether it was created, whether the store applied it within the wait. */
    record Written(CustomerView view, boolean created, boolean visible) {
    }

    private final CompactedWrites<Customer> writes;
    private final Map<String, String> liveByExternalId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private CustomerWrites(CompactedWrites<Customer> writes, Map<String, String> liveByExternalId, Clock clock) {
        this.writes = writes;
        this.liveByExternalId = liveByExternalId;
        this.clock = clock;
    }

    /**
     * Starts the view of {@code table} (not started yet: the index must see its initial load) and
     * returns the writer over it.
     */
    static CustomerWrites start(CompactedTopicTable<String, Customer> table, ConsumerGroupProgress sinkProgress, Duration waitTimeout,
                                Clock clock) {
        Map<String, String> index = new ConcurrentHashMap<>();
        table.addListener(change -> {
            change.previous().filter(CustomerWrites::live)
                    .ifPresent(p -> index.remove(Topics.key(p.getWorkspaceId(), p.getExternalId()), p.getId()));
            change.current().filter(CustomerWrites::live)
                    .ifPresent(c -> index.put(Topics.key(c.getWorkspaceId(), c.getExternalId()), c.getId()));
        });
        table.start();
        return new CustomerWrites(new CompactedWrites<>(table, Topics.CUSTOMERS, sinkProgress, waitTimeout), index, Objects.requireNonNull(clock));
    }

    /** Creates the customer with this externalId, or updates the live one that has it. */
    Written upsert(String workspaceId, RequestFields fields) {
        check(fields, CustomerView.CREATE_FIELDS);
        fields.require(List.of("externalId"));
        String externalId = fields.get("externalId").orElseThrow();
        Optional<Instant> signedUp = createdAt(fields);
        return written(writes.locked(workspaceId, () -> {
            writes.catchUp();
            Optional<Customer> existing = Optional.ofNullable(liveByExternalId.get(Topics.key(workspaceId, externalId)))
                    .flatMap(id -> writes.cached(Topics.key(workspaceId, id)));
            Instant now = clock.instant();
            Customer next = existing.map(current -> merge(current, fields, now)).orElseGet(() -> {
                String id = EntityWrites.newId(random, candidate -> writes.cached(Topics.key(workspaceId, candidate)).isPresent());
                Customer.Builder created = Customer.newBuilder().setWorkspaceId(workspaceId).setId(id).setExternalId(externalId)
                        .setCreatedAt(signedUp.orElse(now)).setUpdatedAt(now);
                return merge(created.build(), fields, now);
            });
            return new Put(next, writes.put(Topics.key(workspaceId, next.getId()), next), existing.isEmpty());
        }));
    }

    /** A customer as a seed-004 upload gives it: attribute values are text of their defined types. */
    public record UploadedProfile(String externalId, String name, String ownerEmail, Map<String, String> attributes) {
    }

    /**
     * Creates or updates, by externalId, every customer of an upload (seed 004): name, owner email
     * (when given) and the attributes given, key by key. One lock, one catch-up and one acknowledged
     * bulk write for the whole upload; returns how many customers were created.
     */
    public int upsertUploaded(String workspaceId, List<UploadedProfile> profiles) {
        return writes.locked(workspaceId, () -> {
            writes.catchUp();
            Instant now = clock.instant();
            java.util.Set<String> newIds = new java.util.HashSet<>();
            List<Map.Entry<String, Customer>> entries = new ArrayList<>(profiles.size());
            for (UploadedProfile p : profiles) {
                Optional<Customer> existing = Optional.ofNullable(liveByExternalId.get(Topics.key(workspaceId, p.externalId())))
                        .flatMap(id -> writes.cached(Topics.key(workspaceId, id)));
                Customer.Builder next = existing.map(Customer::newBuilder).orElseGet(() -> {
                    String id = EntityWrites.newId(random, candidate -> newIds.contains(candidate)
                            || writes.cached(Topics.key(workspaceId, candidate)).isPresent());
                    newIds.add(id);
                    return Customer.newBuilder().setWorkspaceId(workspaceId).setId(id).setExternalId(p.externalId()).setCreatedAt(now);
                });
                Map<String, String> attributes = new LinkedHashMap<>(existing.map(Customer::getAttributes).orElse(Map.of()));
                attributes.putAll(p.attributes());
                next.setName(p.name()).setAttributes(attributes).setUpdatedAt(now);
                if (p.ownerEmail() != null) {
                    next.setOwnerEmail(p.ownerEmail());
                }
                Customer record = next.build();
                entries.add(Map.entry(Topics.key(workspaceId, record.getId()), record));
            }
            writes.putAll(entries);
            return newIds.size();
        });
    }

    /**
     * The signup time a create may give (imports of existing customers, so that their cohorts are
     * right): an ISO-8601 instant or a date, not in the future. Ignored when the POST updates.
     */
    private Optional<Instant> createdAt(RequestFields fields) {
        return fields.get("createdAt").map(text -> {
            Instant at;
            try {
                at = text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay().toInstant(java.time.ZoneOffset.UTC) : Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest("createdAt is not a time", ErrorDetail.field("createdAt",
                        "must be an ISO-8601 instant (2024-03-01T09:00:00Z) or a date (2024-03-01), got '" + text + "'"));
            }
            if (at.isAfter(clock.instant()) || at.isBefore(Instant.parse("1970-01-01T00:00:00Z"))) {
                throw ApiException.badRequest("createdAt is out of range", ErrorDetail.field("createdAt", "must be between 1970 and now"));
            }
            return at;
        });
    }

    /** Changes the fields sent of a live customer, by id or {@code ext_<externalId>}; 409 when another has the new externalId. */
    Written update(String workspaceId, String idOrExternal, RequestFields fields) {
        check(fields);
        EntityWrites.requireSomething(fields, CustomerView.FIELDS);
        return written(writes.locked(workspaceId, () -> {
            Customer current = live(workspaceId, idOrExternal);
            Optional<String> newExternalId = fields.get("externalId").filter(e -> !e.equals(current.getExternalId()));
            newExternalId.map(e -> liveByExternalId.get(Topics.key(workspaceId, e))).ifPresent(other -> {
                throw new ApiException(409, "DUPLICATE_EXTERNAL_ID", "another customer (" + other + ") has externalId '"
                        + newExternalId.get() + "'", List.of(ErrorDetail.field("externalId", "is already in use")));
            });
            Customer next = merge(current, fields, clock.instant());
            return new Put(next, writes.put(Topics.key(workspaceId, next.getId()), next), false);
        }));
    }

    /**
     * Soft-deletes a live customer: the new version keeps its ids, times and non-PII attributes (its
     * events keep counting) and has no name, email, avatar or PII attribute.
     */
    Written delete(String workspaceId, String idOrExternal) {
        return written(writes.locked(workspaceId, () -> {
            Customer current = live(workspaceId, idOrExternal);
            Instant now = clock.instant();
            Map<String, String> kept = new LinkedHashMap<>(current.getAttributes());
            kept.keySet().removeAll(current.getPiiAttributes());
            Customer scrubbed = Customer.newBuilder(current).setEmail(null).setName(null).setAvatar(null)
                    .setAttributes(kept).setUpdatedAt(now).setDeletedAt(now).build();
            return new Put(scrubbed, writes.put(Topics.key(workspaceId, current.getId()), scrubbed), false);
        }));
    }

    private record Put(Customer record, RecordMetadata at, boolean created) {
    }

    private Written written(Put put) {
        return new Written(view(put.record()), put.created(), writes.visible(put.at()));
    }

    /** The live customer an id route names; 404 NOT_FOUND when there is none (or it was deleted). */
    private Customer live(String workspaceId, String idOrExternal) {
        writes.catchUp();
        String id = idOrExternal.startsWith(CustomerView.EXTERNAL_ID_PREFIX)
                ? liveByExternalId.get(Topics.key(workspaceId, idOrExternal.substring(CustomerView.EXTERNAL_ID_PREFIX.length())))
                : idOrExternal;
        return Optional.ofNullable(id).flatMap(i -> writes.cached(Topics.key(workspaceId, i))).filter(CustomerWrites::live)
                .orElseThrow(() -> ApiException.notFound("no customer '" + idOrExternal + "'"));
    }

    /**
     * The salted hash a delete keeps in place of the email: what links the customer's email-carrying
     * events to it in aggregates once the email itself is gone. Salted with the workspace, so equal
     * emails of two workspaces do not look alike.
     */
    static String emailHash(String workspaceId, String email) {
        return io.tributary.platform.auth.Tokens.sha256Hex(workspaceId + "|" + email);
    }

    private static boolean live(Customer c) {
        return c.getDeletedAt() == null;
    }

    /** {@code current} with the fields sent: an empty string clears an optional field; attributes merge key by key (an empty value removes the key). */
    private static Customer merge(Customer current, RequestFields fields, Instant now) {
        Customer.Builder next = Customer.newBuilder(current).setUpdatedAt(now);
        fields.get("externalId").ifPresent(next::setExternalId);
        fields.get("email").ifPresent(v -> next.setEmail(v.isEmpty() ? null : v)
                .setEmailSha256(v.isEmpty() ? null : emailHash(current.getWorkspaceId(), v)));
        fields.get("name").ifPresent(v -> next.setName(v.isEmpty() ? null : v));
        fields.get("avatar").ifPresent(v -> next.setAvatar(v.isEmpty() ? null : v));
        fields.get("clickId").ifPresent(v -> next.setClickId(v.isEmpty() ? null : v));
        if (fields.has("attributes")) {
            Map<String, String> attributes = new LinkedHashMap<>(current.getAttributes());
            fields.getMap("attributes").forEach((k, v) -> {
                if (v.isEmpty()) {
                    attributes.remove(k);
                } else {
                    attributes.put(k, v);
                }
            });
            next.setAttributes(attributes);
        }
        if (fields.has("piiAttributes")) {
            next.setPiiAttributes(new ArrayList<>(fields.getAll("piiAttributes")));
        }
        return next.build();
    }

    /** 400 naming every unknown, blank-where-required, too long or malformed field. */
    private static void check(RequestFields fields) {
        check(fields, CustomerView.FIELDS);
    }

    private static void check(RequestFields fields, List<String> allowed) {
        fields.allowOnly(allowed).notBlankWhenPresent(List.of("externalId"));
        EntityWrites.checkLengths(fields, MAX_CHARS);
        List<ErrorDetail> problems = new ArrayList<>();
        fields.get("email").filter(e -> !e.isEmpty() && !RequestFields.EMAIL.matcher(e).matches())
                .ifPresent(e -> problems.add(ErrorDetail.field("email", "is not an email address: '" + e + "'")));
        Map<String, String> attributes = fields.getMap("attributes");
        if (attributes.size() > MAX_ATTRIBUTES) {
            problems.add(ErrorDetail.field("attributes", "has " + attributes.size() + " keys, at most " + MAX_ATTRIBUTES));
        }
        attributes.forEach((k, v) -> {
            if (k.isBlank() || k.length() > MAX_KEY_CHARS) {
                problems.add(ErrorDetail.field("attributes." + k, "keys are 1 to " + MAX_KEY_CHARS + " characters"));
            } else if (v.length() > MAX_VALUE_CHARS) {
                problems.add(ErrorDetail.field("attributes." + k, "is longer than " + MAX_VALUE_CHARS + " characters"));
            }
        });
        for (String key : fields.getAll("piiAttributes")) {
            if (key.isBlank() || key.length() > MAX_KEY_CHARS) {
                problems.add(ErrorDetail.field("piiAttributes", "names attribute keys of 1 to " + MAX_KEY_CHARS + " characters"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid field" + (problems.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", problems.stream().map(ErrorDetail::field).toList()), problems);
        }
    }

    static CustomerView view(Customer c) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>(c.getAttributes());
        return CustomerView.of(c.getId(), c.getExternalId(), c.getEmail(), c.getName(), c.getAvatar(), c.getClickId(),
                List.copyOf(sorted.keySet()), List.copyOf(sorted.values()), c.getPiiAttributes(), c.getCreatedAt(), c.getUpdatedAt());
    }
}
