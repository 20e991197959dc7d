package io.tributary.platform.idempotency;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tributary.platform.kafka.CompactedTopicTable;
import io.tributary.platform.kafka.JsonSerde;
import io.tributary.platform.kafka.KafkaClients;
import io.tributary.platform.kafka.TopicBootstrap;
import io.tributary.platform.kafka.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Keys and their answers, in the topic {@value #TOPIC} ({@code compact,delete}), read into memory
 * by every gateway like the tokens. Two kinds of record share its one partition, so every gateway
 * sees them in the same order:
 * <ul>
 *   <li>under {@code <workspace>|<key>}, the {@link RecordedAnswer} to replay, written once;</li>
 *   <li>under {@code claim:<workspace>|<key>}, a {@link Claim} by the request that is processing the
 *   key, tombstoned by it when done. Of the claims of one key the first (by offset) wins, a later one
 *   only once the held one has expired ({@link #CLAIM_LEASE}, for a gateway that died processing), so
 *   two gateways receiving the same key at the same moment agree on which one processes it.</li>
 * </ul>
 * Expired answers and claims are dropped from memory every minute, so a gateway holds only the
 * last retention's answers; Kafka deletes them with their segment.
 */
public final class IdempotencyStore implements AutoCloseable {
    public static final String TOPIC = "_tributary_idempotency";
    /** Longer than any write takes (an upload of the largest body takes about a minute). */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(5);
    /** Workspace ids never hold ':', so no answer key starts like this. */
    private static final String CLAIM_PREFIX = "claim:";
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /** Who is processing a key, since when (epoch ms), until when at most. */
    record Claim(String owner, long claimedAt, long expiresAt) {
        Claim {
            Objects.requireNonNull(owner);
        }

        /** The claim of a key after {@code next} arrived: the held one, unless it had expired by the time {@code next} was made. */
        Claim then(Claim next) {
            return next.claimedAt >= expiresAt ? next : this;
        }
    }

    /** A record of the topic: exactly one of the two. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(RecordedAnswer answer, Claim claim) {
        Entry {
            if ((answer == null) == (claim == null)) {
                throw new IllegalArgumentException("an entry is an answer or a claim");
            }
        }

        boolean expiredAt(long nowMillis) {
            return answer != null ? answer.expiredAt(nowMillis) : nowMillis >= claim.expiresAt();
        }
    }

    private final CompactedTopicTable<String, Entry> table;
    private final Duration retention;
    private final Clock clock;
    /** The winning claim of each key being processed, kept from the topic in offset order. */
    private final Map<String, Claim> claims = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idempotency-sweeper");
        t.setDaemon(true);
        return t;
    });

    private IdempotencyStore(CompactedTopicTable<String, Entry> table, Duration retention, Clock clock) {
        this.table = table;
        this.retention = retention;
        this.clock = clock;
        table.addListener(change -> {
            if (!change.key().startsWith(CLAIM_PREFIX)) {
                return;
            }
            Optional<Claim> claim = change.current().map(Entry::claim);
            if (claim.isEmpty()) {
                claims.remove(change.key()); // only the winner releases
            } else {
                claims.merge(change.key(), claim.get(), Claim::then);
            }
        });
    }

    /**
     * The topic: segments roll every retention (so a whole segment can expire) and are deleted once
     * older than it, compacted meanwhile. Applied when the topic is created; an existing topic keeps its configs.
     */
    public static TopicSpec topic(Duration retention) {
        String ms = Long.toString(retention.toMillis());
        return new TopicSpec(TOPIC, 1, Map.of("cleanup.policy", "compact,delete", "retention.ms", ms, "segment.ms", ms));
    }

    public static IdempotencyStore start(KafkaClients clients, short replicationFactor, Duration retention, Duration timeout, Clock clock) {
        // before the table starts: it would create a compact-only topic, without the retention
        try (Admin admin = clients.admin("idempotency-bootstrap")) {
            TopicBootstrap.ensureTopics(admin, List.of(topic(retention)), replicationFactor);
        }
        IdempotencyStore store = new IdempotencyStore(new CompactedTopicTable<>(clients, TOPIC, replicationFactor, Serdes.String(),
                new JsonSerde<>(Entry.class), timeout), retention, clock);
        try {
            store.table.start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        store.sweep(); // a restart loads what Kafka has not deleted yet, expired or not
        store.sweeper.scheduleWithFixedDelay(store::sweep, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return store;
    }

    /** The unexpired answer recorded under (workspace, key), as far as this gateway has read the topic. */
    public Optional<RecordedAnswer> answer(String workspaceId, String key) {
        long now = clock.millis();
        return table.get(IdempotencyKeys.scoped(workspaceId, key)).map(Entry::answer).filter(a -> !a.expiredAt(now));
    }

    /**
     * Claims (workspace, key) for {@code owner} and reads the topic up to the claim: true when it is the
     * key's winning claim. Either way, every answer recorded before it is then known to {@link #answer}.
     */
    public boolean claim(String workspaceId, String key, String owner) {
        long now = clock.millis();
        Claim mine = new Claim(owner, now, now + CLAIM_LEASE.toMillis());
        String claimKey = CLAIM_PREFIX + IdempotencyKeys.scoped(workspaceId, key);
        table.put(claimKey, new Entry(null, mine));
        return mine.equals(claims.get(claimKey));
    }

    /** Ends the winning claim of (workspace, key): the key's next request may claim it. */
    public void release(String workspaceId, String key) {
        table.remove(CLAIM_PREFIX + IdempotencyKeys.scoped(workspaceId, key));
    }

    /** Records {@code answer} and waits until Kafka acknowledged it and this gateway's view holds it. */
    public void save(String workspaceId, String key, RecordedAnswer answer) {
        table.put(IdempotencyKeys.scoped(workspaceId, key), new Entry(answer, null));
    }

    /** An answer for {@code request} as of now, expiring after the retention. */
    RecordedAnswer answer(RequestFingerprint request, int status, Map<String, String> headers, byte[] body) {
        long now = clock.millis();
        return RecordedAnswer.of(request, status, headers, body, now, now + retention.toMillis());
    }

    /** How many records (answers and claims) this gateway holds in memory. */
    int entries() {
        return table.snapshot().size();
    }

    void sweep() {
        long now = clock.millis();
        table.snapshot().forEach((key, entry) -> {
            if (entry.expiredAt(now)) {
                table.forget(key, entry);
                if (entry.claim() != null) {
                    claims.remove(key, entry.claim());
                }
            }
        });
        claims.forEach((key, claim) -> {
            if (now >= claim.expiresAt()) {
                claims.remove(key, claim);
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        table.close();
    }
}
