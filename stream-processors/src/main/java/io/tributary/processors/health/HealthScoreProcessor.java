package io.tributary.processors.health;

import io.tributary.platform.health.HealthScoring;
import io.tributary.platform.health.HealthSettings;
import io.tributary.platform.health.ScoringConfig;
import io.tributary.schemas.Topics;
import io.tributary.schemas.avro.HealthComponent;
import io.tributary.schemas.avro.HealthScore;
import io.tributary.schemas.avro.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the customers of the workspaces of its partition (input keyed by workspace, so a task
 * holds every customer of a workspace: percentiles are within the workspace).
 *
 * <p>An upload merges into the customer's state and marks it dirty; new scoring settings mark every
 * customer of the workspace dirty. Scoring runs on a wall-clock punctuation once a workspace has
 * received every customer of each upload it is waiting for (an upload arrives as a burst: score it
 * once, not per record; the upload's size travels with each record), or — for changes without an
 * upload, such as new settings — once it has been quiet for {@link #QUIET}; and at the latest
 * {@link #MAX_DELAY} after its first unscored change. It scores the dirty customers — or, when the
 * workspace's scoring uses percentiles, every customer, since one new value moves the others'
 * ranks — and emits a HealthScore for each dirty customer and for each other whose score changed.
 * When every customer of an upload has been scored, one Notification goes to the workspace's members.
 * Dirty marks and upload progress live in the stores, so a restart loses no pending work.
 */
final class HealthScoreProcessor implements Processor<String, HealthInput, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(HealthScoreProcessor.class);
    private static final StringSerializer KEYS = new StringSerializer();
    static final Duration TICK = Duration.ofMillis(100);
    static final Duration QUIET = Duration.ofMillis(300);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);
    static final String CAUSE_UPLOAD = "upload";
    static final String CAUSE_SETTINGS = "settings";
    static final String KIND_UPLOAD_SCORED = "upload_scored";

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, HealthSettings> settings;
    private KeyValueStore<String, CustomerHealthState> customers;
    private KeyValueStore<String, UploadProgress> uploads;
    /** Per workspace: the dirty customers, when the first became dirty and when the last input came (wall clock, ms). */
    private final Map<String, Pending> pending = new HashMap<>();

    private static final class Pending {
        final Set<String> externalIds = new HashSet<>();
        /** Uploads of the workspace not all of whose customers have arrived yet. */
        final Set<String> incompleteUploads = new HashSet<>();
        boolean uploaded;
        long firstAt;
        long lastAt;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.settings = context.getStateStore(HealthScoreTopology.SETTINGS_STORE);
        this.customers = context.getStateStore(HealthScoreTopology.CUSTOMERS_STORE);
        this.uploads = context.getStateStore(HealthScoreTopology.UPLOADS_STORE);
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, CustomerHealthState> all = customers.all()) {
            while (all.hasNext()) {
                KeyValue<String, CustomerHealthState> entry = all.next();
                if (entry.value.dirty()) {
                    String[] key = Topics.splitKey(entry.key);
                    markPending(key[0], key[1], now);
                }
            }
        }
        try (KeyValueIterator<String, UploadProgress> all = uploads.all()) {
            while (all.hasNext()) {
                KeyValue<String, UploadProgress> entry = all.next();
                String[] key = Topics.splitKey(entry.key);
                Pending p = pending.get(key[0]);
                if (p != null && !entry.value.allReceived()) {
                    p.uploaded = true;
                    p.incompleteUploads.add(key[1]);
                }
            }
        }
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::scoreDue);
    }

    @Override
    public void process(Record<String, HealthInput> record) {
        HealthInput input = record.value();
        String workspace = record.key();
        if (input == null || workspace == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        if (input.settings() != null) {
            HealthSettings previous = settings.get(workspace);
            settings.put(workspace, input.settings());
            if (previous == null || !Objects.equals(previous.scoring(), input.settings().scoring())) {
                markWorkspaceDirty(workspace, now);
            }
        } else if (input.upload() != null) {
            UploadedCustomer upload = input.upload();
            String key = Topics.key(workspace, upload.externalId());
            CustomerHealthState current = customers.get(key);
            customers.put(key, (current == null ? CustomerHealthState.empty() : current).merge(upload));
            String progressKey = Topics.key(workspace, upload.uploadId());
            UploadProgress progress = uploads.get(progressKey);
            UploadProgress received = (progress == null ? new UploadProgress(upload.uploadSize(), 0, 0, Map.of()) : progress).oneMoreReceived();
            uploads.put(progressKey, received);
            markPending(workspace, upload.externalId(), now);
            Pending p = pending.get(workspace);
            p.uploaded = true;
            if (received.allReceived()) {
                p.incompleteUploads.remove(upload.uploadId());
            } else {
                p.incompleteUploads.add(upload.uploadId());
            }
        }
    }

    private void markWorkspaceDirty(String workspace, long now) {
        List<KeyValue<String, CustomerHealthState>> marked = new ArrayList<>();
        try (KeyValueIterator<String, CustomerHealthState> it = customers.prefixScan(workspace + "|", KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, CustomerHealthState> entry = it.next();
                marked.add(KeyValue.pair(entry.key, entry.value.markDirty()));
            }
        }
        customers.putAll(marked);
        marked.forEach(e -> markPending(workspace, Topics.splitKey(e.key)[1], now));
    }

    private void markPending(String workspace, String externalId, long now) {
        Pending p = pending.computeIfAbsent(workspace, w -> {
            Pending fresh = new Pending();
            fresh.firstAt = now;
            return fresh;
        });
        p.externalIds.add(externalId);
        p.lastAt = now;
    }

    /** The punctuation: scores each workspace that is due (see the class comment). */
    private void scoreDue(long now) {
        List<String> due = pending.entrySet().stream()
                .filter(e -> due(e.getValue(), now))
                .map(Map.Entry::getKey).toList();
        for (String workspace : due) {
            HealthSettings ws = settings.get(workspace);
            if (ws == null || ws.scoring() == null) {
                continue; // nothing to score with: the customers stay dirty until a configuration arrives
            }
            Set<String> dirty = pending.remove(workspace).externalIds;
            score(workspace, ws, dirty, now);
        }
    }

    private static boolean due(Pending p, long now) {
        if (now - p.firstAt >= MAX_DELAY.toMillis()) {
            return true;
        }
        return p.uploaded ? p.incompleteUploads.isEmpty() : now - p.lastAt >= QUIET.toMillis();
    }

    private void score(String workspace, HealthSettings ws, Set<String> dirty, long now) {
        ScoringConfig config = ws.scoring();
        Map<String, CustomerHealthState> states = new LinkedHashMap<>();
        Map<ScoringConfig.Component, double[]> distributions = new HashMap<>();
        if (config.usesPercentiles()) {
            try (KeyValueIterator<String, CustomerHealthState> it = customers.prefixScan(workspace + "|", KEYS)) {
                while (it.hasNext()) {
                    KeyValue<String, CustomerHealthState> entry = it.next();
                    states.put(Topics.splitKey(entry.key)[1], entry.value);
                }
            }
            for (ScoringConfig.Component c : config.components()) {
                if (c.normalisation() == ScoringConfig.Normalisation.PERCENTILE) {
                    List<Double> values = new ArrayList<>();
                    for (CustomerHealthState s : states.values()) {
                        Double v = value(s, c);
                        if (v != null) {
                            values.add(v);
                        }
                    }
                    distributions.put(c, HealthScoring.sorted(values));
                }
            }
        } else {
            for (String externalId : dirty) {
                CustomerHealthState s = customers.get(Topics.key(workspace, externalId));
                if (s != null) {
                    states.put(externalId, s);
                }
            }
        }
        Instant at = Instant.ofEpochMilli(now);
        Map<String, UploadProgress> progress = new HashMap<>();
        int emitted = 0;
        for (Map.Entry<String, CustomerHealthState> entry : states.entrySet()) {
            CustomerHealthState state = entry.getValue();
            HealthScoring.Result result = HealthScoring.score(config, numbers(state.metrics().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().value()))), numbers(state.attributes()), distributions::get);
            boolean wasDirty = state.dirty() || dirty.contains(entry.getKey());
            if (!wasDirty && Objects.equals(result.score(), state.score())) {
                continue;
            }
            String key = Topics.key(workspace, entry.getKey());
            customers.put(key, state.scored(result.score()));
            context.forward(new Record<>(key, scoreRecord(workspace, entry.getKey(), state, result, at), now));
            emitted++;
            for (String uploadId : state.pendingUploads()) {
                String progressKey = Topics.key(workspace, uploadId);
                UploadProgress p = progress.containsKey(progressKey) ? progress.get(progressKey) : uploads.get(progressKey);
                if (p != null) {
                    progress.put(progressKey, p.plus(result.band()));
                }
            }
        }
        progress.forEach((progressKey, p) -> {
            if (p.complete()) {
                uploads.delete(progressKey);
                String uploadId = Topics.splitKey(progressKey)[1];
                context.forward(new Record<>(Topics.key(workspace, uploadId), notification(workspace, uploadId, p, ws, at), now));
            } else {
                uploads.put(progressKey, p);
            }
        });
        LOG.debug("workspace {}: scored {} customers ({} dirty), emitted {}", workspace, states.size(), dirty.size(), emitted);
    }

    private static Double value(CustomerHealthState s, ScoringConfig.Component c) {
        if (c.source() == ScoringConfig.Source.METRIC) {
            DatedValue v = s.metrics().get(c.codename());
            return v == null ? null : HealthScoring.numeric(v.value());
        }
        return HealthScoring.numeric(s.attributes().get(c.codename()));
    }

    private static Map<String, Double> numbers(Map<String, String> texts) {
        Map<String, Double> out = new HashMap<>();
        texts.forEach((k, v) -> {
            Double d = HealthScoring.numeric(v);
            if (d != null) {
                out.put(k, d);
            }
        });
        return out;
    }

    private static HealthScore scoreRecord(String workspace, String externalId, CustomerHealthState state, HealthScoring.Result result,
                                           Instant at) {
        List<HealthComponent> components = result.components().stream().map(c -> HealthComponent.newBuilder()
                .setSource(c.source().wire()).setCodename(c.codename()).setValue(c.value()).setNormalised(c.normalised())
                .setWeight(c.weight()).setContribution(c.contribution()).build()).toList();
        Double previous = state.score();
        Double change = previous == null || result.score() == null ? null : HealthScoring.round(result.score() - previous);
        return HealthScore.newBuilder().setWorkspaceId(workspace).setExternalId(externalId).setName(state.name())
                .setOwnerEmail(state.ownerEmail()).setScore(result.score()).setBand(result.band()).setPreviousScore(previous)
                .setScoreChange(change).setComponents(components)
                .setCause(state.pendingUploads().isEmpty() ? CAUSE_SETTINGS : CAUSE_UPLOAD)
                .setUploadId(state.pendingUploads().isEmpty() ? null : state.pendingUploads().get(state.pendingUploads().size() - 1))
                .setScoredAt(at).build();
    }

    private static Notification notification(String workspace, String uploadId, UploadProgress p, HealthSettings ws, Instant at) {
        String bands = p.bands().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return Notification.newBuilder().setWorkspaceId(workspace).setNotificationId(uploadId).setKind(KIND_UPLOAD_SCORED)
                .setUploadId(uploadId).setCustomers(p.size())
                .setRecipients(ws.members().stream().map(HealthSettings.Member::email).toList())
                .setMessage("Imported customer data has been processed: " + p.size() + " customer" + (p.size() == 1 ? "" : "s")
                        + " of upload " + uploadId + " scored (" + bands + ")")
                .setCreatedAt(at).build();
    }
}
