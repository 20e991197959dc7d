package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.testing.ClickHouseExtension;
import io.tributary.platform.testing.ClickHouseServer;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9's multi-node test on one machine ({@code ./mvnw -B verify -Pscale}): a 3-node KRaft
 * cluster (a JVM per node, replication factor 3, {@code min.insync.replicas=2}), two gateway JVMs,
 * two processors JVMs and a query JVM against clickhouse-server.
 *
 * <p>First the pipeline's throughput with one processors JVM and with two: events loaded while no
 * processor runs, then the time from the processors being ready until every consumer group is at
 * its end offsets (printed, never asserted). Then 500,000 events through both gateways while one
 * processors JVM is SIGKILLed (its partitions move to the other, which restores the Kafka Streams
 * state from the changelogs), then the broker leading the controller quorum is SIGKILLed
 * (ingestion goes on), and both come back: nothing lost, nothing doubled, every customer's
 * statistics exact. Between the two, the CPU seconds each role's processes use for events flowing
 * through the whole pipeline and for pipe calls ({@link RoleCpu}): events/s per core per role.
 * The figures go to stdout and {@code target/scale-figures.md}.
 */
@ExtendWith(ClickHouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeScaleIT {
    private static final int NODES = 3;
    private static final int PARTITIONS = 6;
    /** Events per throughput measurement: enough for a drain of about a minute on a busy 2-core machine. */
    private static final int PRELOAD = 50_000;
    private static final int EVENTS = 500_000;
    /**
     * The scenario's pace: 333 s of load, so that each fault waits for the one before and both
     * restarts still come while events flow. The killed processor's partitions move only after
     * the 45 s consumer session timeout and a rebalance of every group; the broker is killed only
     * after that, at 45% or later.
     */
    private static final int EVENTS_PER_SECOND = 1_500;
    /** Events for the CPU cost per role: a few times the processors' batches, on warm JVMs. */
    private static final int COST_EVENTS = 100_000;
    /** Per-customer pipe calls for the query role's CPU cost. */
    private static final int QUERIES = 500;
    /** Generous: the drain is what a busy machine stretches; a stuck pipeline still fails. */
    private static final Duration DRAIN = Duration.ofMinutes(20);

    private SplitRolesCluster<KafkaCluster> cluster;
    private final List<String> figures = new ArrayList<>();

    /** One throughput measurement: {@code processors} JVMs started on {@code events} waiting events. */
    record Throughput(int processors, int events, double loadSeconds, double startSeconds, double drainSeconds, double loadAverage) {
        double eventsPerSecond() {
            return events / drainSeconds;
        }

        double eventsPerSecondFromLaunch() {
            return events / (startSeconds + drainSeconds);
        }
    }

    @BeforeEach
    void cluster(ClickHouseServer clickhouse) throws Exception {
        if (cluster == null) {
            cluster = SplitRolesCluster.start(clickhouse, "scale", dir -> KafkaCluster.start(dir.resolve("kafka"), NODES),
                    new SplitRolesCluster.Layout(2, 2, false, PARTITIONS));
        }
    }

    @AfterEach
    void rolesStillUp() {
        if (cluster != null) {
            cluster.assertProcessorsAlive();
        }
    }

    @AfterAll
    void writeFigures() throws Exception {
        if (!figures.isEmpty()) {
            String text = "# Multi-node scale test (MultiNodeScaleIT)\n\n" + String.join("\n", figures);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "scale-figures.md"), text);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void throughputWithOneAndWithTwoProcessors() throws Exception {
        Throughput one = drainThroughput("scale-one", "o", 0);
        cluster.stopProcessor(0);
        Throughput two = drainThroughput("scale-two", "t", 0, 1);
        StringBuilder table = new StringBuilder("## Pipeline throughput, one vs two processors JVMs\n\n")
                .append(PRELOAD).append(" events posted through both gateways while no processor ran; then the processors JVMs started; ")
                .append("drained = every consumer group (Kafka Streams apps, sinks) at its end offsets. ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, shared with the brokers, gateways, query, ClickHouse")
                .append(" and whatever else runs on the machine: these are this machine's figures, not a capacity.\n\n")
                .append("| processors JVMs | events | posted in (s) | launch → ready (s) | ready → drained (s) | events/s (ready → drained) "
                        + "| events/s (launch → drained) | load average when drained |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Throughput t : List.of(one, two)) {
            table.append(String.format("| %d | %d | %.1f | %.1f | %.1f | %.0f | %.0f | %.1f |%n", t.processors(), t.events(), t.loadSeconds(),
                    t.startSeconds(), t.drainSeconds(), t.eventsPerSecond(), t.eventsPerSecondFromLaunch(), t.loadAverage()));
        }
        System.out.println("\n" + table);
        figures.add(table.toString());
    }

    /** Loads {@link #PRELOAD} events into {@code workspace} with no processor running, starts {@code processors}, times the drain and checks the store. */
    private Throughput drainThroughput(String workspace, String prefix, int... processors) throws Exception {
        try (EventLoad load = new EventLoad(cluster.gateways(cluster.workspaceToken(workspace)),
                new EventLoad.Plan(prefix, PRELOAD, 2_000, 1_000, 4, 1_000_000)).start()) {
            long posting = System.nanoTime();
            load.awaitDone(Duration.ofMinutes(3));
            double loadSeconds = (System.nanoTime() - posting) / 1e9;
            assertThat(load.unexpected()).as("answers a retrying client must not get").isEmpty();
            long launched = System.nanoTime();
            cluster.startProcessors(processors);
            long ready = System.nanoTime();
            long drained = PipelineDrain.await(cluster.bootstrapServers(), DRAIN);
            Throughput throughput = new Throughput(processors.length, PRELOAD, loadSeconds, (ready - launched) / 1e9, Math.max(1, drained - ready) / 1e9,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            FaultFigures result = FaultFigures.measure(processors.length + " processors JVM(s) draining " + PRELOAD + " waiting events",
                    cluster.clickhouse(), cluster.database(), workspace, load,
                    List.of(String.format("throughput: %.0f events/s from ready to drained", throughput.eventsPerSecond())));
            System.out.println(result.report());
            result.assertExact(PRELOAD);
            return throughput;
        }
    }

    /**
     * What each role costs, in CPU seconds, for events flowing through the whole pipeline with both
     * processors JVMs warm, and for per-customer pipe calls: the capacity guide's events/s per core.
     */
    @Test
    @Order(2)
    void cpuSecondsPerRoleAtSteadyState() throws Exception {
        String workspace = "scale-cost";
        String token = cluster.workspaceToken(workspace);
        try (EventLoad load = new EventLoad(cluster.gateways(token), new EventLoad.Plan("c", COST_EVENTS, 5_000, 1_000, 4, 1_000_000)).start()) {
            RoleCpu before = cluster.cpu();
            long started = System.nanoTime();
            load.awaitDone(Duration.ofMinutes(5));
            long drained = PipelineDrain.await(cluster.bootstrapServers(), DRAIN);
            RoleCpu after = cluster.cpu();
            double seconds = (drained - started) / 1e9;
            FaultFigures result = FaultFigures.measure(COST_EVENTS + " events through 2 gateways and 2 warm processors JVMs", cluster.clickhouse(),
                    cluster.database(), workspace, load, List.of(String.format("posted to drained: %.1f s, %.0f events/s", seconds, COST_EVENTS / seconds)));
            System.out.println(result.report());
            result.assertExact(COST_EVENTS);

            Http reads = cluster.reads(token);
            RoleCpu beforeQueries = cluster.cpu();
            long queriesStarted = System.nanoTime();
            for (int i = 0; i < QUERIES; i++) {
                HttpResponse<String> answer = reads.get("/v0/pipes/customer_activity.json?customer_id=" + load.customerId(i * 7919) + "&limit=100");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(Http.json(answer).path("data").size()).as("a customer with events has activity").isPositive();
            }
            double querySeconds = (System.nanoTime() - queriesStarted) / 1e9;
            RoleCpu afterQueries = cluster.cpu();
            int cores = Runtime.getRuntime().availableProcessors();

            StringBuilder table = new StringBuilder("## CPU seconds per role\n\n")
                    .append(String.format("%,d events posted through both gateways (4 clients, batches of 1,000) with both processors JVMs running"
                            + " and warm, posted to drained in %.1f s (%.0f events/s on this machine); then %d sequential per-customer"
                            + " `customer_activity.json` calls in %.1f s. CPU seconds are each role's processes' user + system time over"
                            + " the interval (`/proc/<pid>/stat`), so they do not depend on what else shared the %d cores;"
                            + " per core = work ÷ CPU seconds. Not counted: the test JVM (load clients, schema registry).%n%n",
                            COST_EVENTS, seconds, COST_EVENTS / seconds, QUERIES, querySeconds, cores))
                    .append("| role | processes | work | CPU seconds | per core (work per CPU second) |\n|---|---:|---|---:|---:|\n");
            double total = 0;
            for (String role : List.of("gateway", "processors", "kafka", "clickhouse", "query")) {
                Optional<Double> cpu = after.secondsSince(before, role);
                total += cpu.orElse(0.0);
                table.append(costRow(role, cpu, COST_EVENTS, "events"));
            }
            table.append(String.format("| all of the above | | %,d events | %.1f | %,.0f events/s |%n", COST_EVENTS, total, COST_EVENTS / total));
            table.append(costRow("query", afterQueries.secondsSince(beforeQueries, "query"), QUERIES, "pipe calls"));
            table.append(costRow("clickhouse", afterQueries.secondsSince(beforeQueries, "clickhouse"), QUERIES, "pipe calls"));
            table.append(String.format("%nCPU used by these processes while events flowed: %.1f of %.1f core-seconds (%.0f%%).%n", total,
                    seconds * cores, 100 * total / (seconds * cores)));
            System.out.println("\n" + table);
            figures.add(table.toString());
        }
    }

    private String costRow(String role, Optional<Double> cpuSeconds, int work, String unit) {
        String processes = switch (role) {
            case "gateway", "processors" -> "2 JVMs";
            case "kafka" -> NODES + " JVMs (RF 3)";
            case "clickhouse" -> "1 server";
            default -> "1 JVM";
        };
        return cpuSeconds.map(cpu -> String.format("| %s | %s | %,d %s | %.1f | %,.0f %s/s |%n", role, processes, work, unit, cpu, work / cpu, unit))
                .orElse(String.format("| %s | %s | %,d %s | not measured (not a process of this test) | |%n", role, processes, work, unit));
    }

    @Test
    @Order(3)
    void halfAMillionEventsWhileAProcessorAndABrokerAreKilledAndRestarted() throws Exception {
        cluster.startProcessors(); // both, whatever the throughput test left
        String workspace = "scale-faults";
        KafkaCluster kafka = cluster.brokers();
        try (Admin admin = cluster.admin()) {
            awaitEveryGroup(admin, 2, Duration.ofMinutes(2));
            try (EventLoad load = new EventLoad(cluster.gateways(cluster.workspaceToken(workspace)),
                    new EventLoad.Plan("f", EVENTS, 5_000, 1_000, 6, EVENTS_PER_SECOND)).start()) {
                Timeline timeline = new Timeline(load);
                timeline.at(25, "processors JVM 1 SIGKILLed (both were in every consumer group)", () -> cluster.killProcessor(1));
                // before the broker dies: a group coordinator moving to another node reloads the dead
                // member, whose session then times out once more, and the two faults would blur
                timeline.at(0, "every consumer group down to processors JVM 0 alone: the partitions of JVM 1 moved to it",
                        () -> awaitEveryGroup(admin, 1, Duration.ofMinutes(3)));
                int broker = kafka.activeController();
                Timeline.Step brokerDown = timeline.at(45, "Kafka node " + broker + " (the active controller) SIGKILLed", () -> kafka.kill(broker));
                timeline.at(60, "processors JVM 1 restarted on its data dir (ready)", () -> cluster.startProcessors(1));
                Timeline.Step brokerUp = timeline.at(70, "Kafka node " + broker + " restarted on its log dir (registered)", () -> kafka.start(broker));
                timeline.at(100, "every batch acknowledged", () -> load.awaitDone(Duration.ofMinutes(10)));
                long drained = PipelineDrain.await(cluster.bootstrapServers(), DRAIN);
                timeline.add(drained, "pipeline drained");
                awaitEveryGroup(admin, 2, Duration.ofMinutes(2));
                List<String> underReplicated = awaitInSync(kafka, Duration.ofMinutes(2));

                // requests sent after the broker died and answered 2xx before it came back, per gateway
                long[] acknowledgedWhileDown = new long[2];
                load.acknowledgements().stream().filter(a -> a.sentNanos() > brokerDown.nanos() && a.answeredNanos() < brokerUp.nanos())
                        .forEach(a -> acknowledgedWhileDown[a.gateway()] += a.events());
                List<String> notes = new ArrayList<>(timeline.lines());
                notes.add("gateway answers: " + load.statuses() + ", without an answer (retried): " + load.unanswered()
                        + ", 503/429 without Retry-After: " + load.retryAfterMissing());
                notes.add("acknowledged per gateway: " + load.acknowledgedBy(0) + " and " + load.acknowledgedBy(1));
                notes.add(String.format("events acknowledged while Kafka node %d was down (%.1f s): %d through gateway 0, %d through gateway 1",
                        broker, (brokerUp.nanos() - brokerDown.nanos()) / 1e9, acknowledgedWhileDown[0], acknowledgedWhileDown[1]));
                notes.add("partitions short of " + NODES + " in-sync replicas after the restart: " + underReplicated.size());
                FaultFigures result = FaultFigures.measure(EVENTS + " events, 2 gateways, 2 processors, " + NODES
                        + " Kafka nodes (RF 3, min.insync.replicas 2): a processor and a broker SIGKILLed and restarted",
                        cluster.clickhouse(), cluster.database(), workspace, load, notes);
                System.out.println(result.report());
                figures.add("## " + EVENTS + " events while a processor and a broker are killed\n\n" + FaultFigures.table(List.of(result))
                        + "\n```\n" + result.report() + "```\n");

                assertThat(load.unexpected()).as("answers a retrying client must not get (5xx other than 503 with Retry-After)").isEmpty();
                assertThat(load.retryAfterMissing()).as("every 503 and 429 carries Retry-After").isZero();
                assertThat(brokerUp.acknowledged()).as("the faults happened while events flowed").isLessThan(EVENTS);
                assertThat(acknowledgedWhileDown[0]).as("gateway 0 acknowledged events while a broker was down").isPositive();
                assertThat(acknowledgedWhileDown[1]).as("gateway 1 acknowledged events while a broker was down").isPositive();
                assertThat(underReplicated).as("the restarted broker back in every ISR").isEmpty();
                result.assertExact(EVENTS);
            }
        }
    }

    /** What the scenario did when, against how far the load had got; printed as it goes. */
    private static final class Timeline {
        /** A step: when it began (System.nanoTime) and how many events were acknowledged then. */
        record Step(long nanos, long acknowledged) {
        }

        interface Action {
            void run() throws Exception;
        }

        private final EventLoad load;
        private final long started = System.nanoTime();
        private final List<String> lines = new ArrayList<>();

        Timeline(EventLoad load) {
            this.load = load;
        }

        /** Once {@code percent} of the load's events are acknowledged (0: at once), runs {@code action} and notes it. */
        Step at(int percent, String what, Action action) throws Exception {
            load.awaitAcknowledged((long) load.plan().events() * percent / 100, Duration.ofMinutes(5));
            Step step = new Step(System.nanoTime(), load.acknowledgedCount());
            action.run();
            add(System.nanoTime(), what);
            return step;
        }

        void add(long nanos, String what) {
            long acknowledged = load.acknowledgedCount();
            String line = String.format("t+%.1f s, %d acknowledged (%d%%): %s", (nanos - started) / 1e9, acknowledged,
                    acknowledged * 100 / load.plan().events(), what);
            lines.add(line);
            System.out.println("scale: " + line);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }
    }

    /** Waits until every Tributary consumer group with members is stable with exactly {@code members} (one per processors JVM). */
    private void awaitEveryGroup(Admin admin, int members, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "";
        while (true) {
            try {
                Map<String, String> groups = groups(admin);
                if (!groups.isEmpty() && groups.values().stream().allMatch(g -> g.equals("Stable/" + members))) {
                    return;
                }
                seen = groups.toString();
            } catch (ExecutionException | TimeoutException e) {
                // a broker just died: its groups' coordinators move, requests to it time out
                seen = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("consumer groups not stable with " + members + " member(s) each after " + timeout + ": " + seen
                        + "\n" + cluster.logs());
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Group id → {@code state/members} of the Tributary groups that have members. */
    private static Map<String, String> groups(Admin admin) throws ExecutionException, TimeoutException, InterruptedException {
        List<String> ids = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId)
                .filter(id -> id.startsWith("tributary-")).toList();
        Map<String, String> groups = new TreeMap<>();
        for (ConsumerGroupDescription group : admin.describeConsumerGroups(ids).all().get(30, TimeUnit.SECONDS).values()) {
            if (!group.members().isEmpty()) {
                String state = group.groupState() == GroupState.STABLE ? "Stable" : group.groupState().toString();
                groups.put(group.groupId(), state + "/" + group.members().size());
            }
        }
        return groups;
    }

    /** Waits until every partition has all nodes in sync again; returns those that have not (empty when they have). */
    private static List<String> awaitInSync(KafkaCluster kafka, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> under;
        while (!(under = kafka.underReplicated()).isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(1);
        }
        return under;
    }
}
