package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.testing.ClickHouseServer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fault scenario must show: every acknowledged event stored once, and the statistics equal
 * to the values recomputed from the acknowledged events. Read from the store as the pipes read it
 * ({@code FINAL}: ReplacingMergeTree collapses a re-written row at query time).
 *
 * @param sent              events handed to the gateway at least once
 * @param acknowledged      events in a batch the gateway answered 2xx (202) for
 * @param stored            distinct acknowledged-or-not event ids of the workspace in customer_events
 * @param duplicated        rows a read returns beyond one per event id (must be 0)
 * @param lost              acknowledged events not in the store (must be 0)
 * @param unacknowledgedStored stored events that no 2xx covered (0 when the client retried until acknowledged)
 * @param rawCopies         rows in the table before merges collapse re-writes (information: what FINAL hides)
 * @param customers         customers whose statistics were compared
 * @param aggregateMismatches customers whose event count, purchase count or total spent differ
 */
record FaultFigures(String scenario, long sent, long acknowledged, long stored, long duplicated, long lost, long unacknowledgedStored,
                    long rawCopies, long customers, long aggregateMismatches, List<String> mismatchExamples, List<String> notes) {

    /** Reads the workspace's events and statistics from the store and compares them with {@code load}'s acknowledged events. */
    static FaultFigures measure(String scenario, ClickHouseServer clickhouse, String database, String workspace, EventLoad load, List<String> notes) {
        String where = " WHERE workspace_id = '" + workspace + "'";
        List<String> ids = lines(clickhouse.execute("SELECT event_id FROM " + database + ".customer_events FINAL" + where + " FORMAT TabSeparated"));
        Set<String> distinct = new HashSet<>(ids);
        long rawCopies = Long.parseLong(clickhouse.execute("SELECT count() FROM " + database + ".customer_events" + where).trim());

        BitSet acked = load.acknowledgedIndexes();
        Set<String> ackedIds = new HashSet<>();
        for (int i = acked.nextSetBit(0); i >= 0; i = acked.nextSetBit(i + 1)) {
            ackedIds.add(load.eventId(i));
        }
        long lost = ackedIds.stream().filter(id -> !distinct.contains(id)).count();
        long unacknowledgedStored = distinct.stream().filter(id -> !ackedIds.contains(id)).count();

        Map<String, EventLoad.Aggregate> expected = load.expectedAggregates();
        Map<String, EventLoad.Aggregate> actual = new HashMap<>();
        for (String line : lines(clickhouse.execute("SELECT customer_id, event_count, purchase_count, total_spent FROM " + database
                + ".customer_stats FINAL" + where + " FORMAT TabSeparated"))) {
            String[] f = line.split("\t");
            actual.put(f[0], new EventLoad.Aggregate(Long.parseLong(f[1]), Long.parseLong(f[2]), new BigDecimal(f[3])));
        }
        List<String> mismatches = new ArrayList<>();
        Set<String> customers = new HashSet<>(expected.keySet());
        customers.addAll(actual.keySet());
        for (String customer : customers) {
            EventLoad.Aggregate want = expected.get(customer);
            EventLoad.Aggregate got = actual.get(customer);
            if (want == null || got == null || want.events() != got.events() || want.purchases() != got.purchases()
                    || want.spent().compareTo(got.spent()) != 0) {
                mismatches.add(customer + ": expected " + want + ", stored " + got);
            }
        }
        return new FaultFigures(scenario, load.sent(), acked.cardinality(), distinct.size(), ids.size() - distinct.size(), lost,
                unacknowledgedStored, rawCopies, customers.size(), mismatches.size(), mismatches.stream().limit(5).toList(), List.copyOf(notes));
    }

    FaultFigures withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new FaultFigures(scenario, sent, acknowledged, stored, duplicated, lost, unacknowledgedStored, rawCopies, customers,
                aggregateMismatches, mismatchExamples, List.copyOf(more));
    }

    /** Every one of {@code events} acknowledged in the end, none lost, none doubled, none stored unacknowledged, every statistic equal. */
    void assertExact(int events) {
        assertThat(acknowledged).as(scenario + ": every batch acknowledged in the end").isEqualTo(events);
        assertThat(lost).as(scenario + ": lost").isZero();
        assertThat(duplicated).as(scenario + ": duplicated").isZero();
        assertThat(unacknowledgedStored).as(scenario + ": stored, never acknowledged").isZero();
        assertThat(aggregateMismatches).as(scenario + ": statistics differing from the acknowledged events: " + mismatchExamples).isZero();
    }

    private static List<String> lines(String tsv) {
        return tsv.isBlank() ? List.of() : List.of(tsv.strip().split("\n"));
    }

    String report() {
        StringBuilder out = new StringBuilder("scenario: " + scenario + "\n")
                .append("  sent: ").append(sent).append('\n')
                .append("  acknowledged: ").append(acknowledged).append('\n')
                .append("  stored: ").append(stored).append('\n')
                .append("  duplicated: ").append(duplicated).append('\n')
                .append("  lost: ").append(lost).append('\n')
                .append("  stored, never acknowledged: ").append(unacknowledgedStored).append('\n')
                .append("  raw rows before merge: ").append(rawCopies).append('\n')
                .append("  aggregates: ").append(aggregateMismatches == 0
                        ? "equal to the values recomputed from the acknowledged writes for all " + customers + " customers"
                        : aggregateMismatches + " of " + customers + " customers differ, e.g. " + mismatchExamples).append('\n');
        notes.forEach(note -> out.append("  ").append(note).append('\n'));
        return out.toString();
    }

    static String table(List<FaultFigures> all) {
        StringBuilder out = new StringBuilder("| scenario | sent | acknowledged | stored | duplicated | lost | aggregates |\n|---|---:|---:|---:|---:|---:|---|\n");
        for (FaultFigures f : all) {
            out.append("| ").append(f.scenario).append(" | ").append(f.sent).append(" | ").append(f.acknowledged).append(" | ").append(f.stored)
                    .append(" | ").append(f.duplicated).append(" | ").append(f.lost).append(" | ")
                    .append(f.aggregateMismatches == 0 ? "equal (" + f.customers + " customers)" : f.aggregateMismatches + " differ").append(" |\n");
        }
        return out.toString();
    }
}
