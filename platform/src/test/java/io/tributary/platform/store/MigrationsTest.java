package io.tributary.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Migration logic with an in-memory target; the real stores run the same migrations in *StoreIT. */
class MigrationsTest {

    /** Records what Migrations asks of a store. */
    private static class RecordingTarget implements Migrations.Target {
        final List<String> executed = new ArrayList<>();
        final Set<String> recorded = new LinkedHashSet<>();

        @Override
        public void execute(String statement) {
            executed.add(statement);
        }

        @Override
        public Set<String> appliedVersions() {
            return Set.copyOf(recorded);
        }

        @Override
        public void recordApplied(String version) {
            recorded.add(version);
        }
    }

    @Test
    void bothDialectsListTheSameFilesInTheSameOrder() {
        List<String> duckdb = Migrations.load(StoreDialect.DUCKDB, Map.of()).stream().map(Migrations.Migration::version).toList();
        List<String> clickhouse = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", "db")).stream().map(Migrations.Migration::version).toList();
        assertThat(duckdb).containsExactly("000_schema_migrations.sql", "001_customer_events.sql", "002_customer_stats.sql",
                "003_customer_stats_aggregates.sql", "004_customer_profiles.sql", "005_customer_segments.sql", "006_segment_members.sql",
                "007_customer_events_by_customer.sql", "008_customer_events_by_year.sql", "009_customer_insights.sql",
                "010_customer_segments_finx.sql", "011_customers.sql", "012_customer_events_attribution.sql",
                "013_customers_email_sha256.sql", "014_customers_owner_email.sql", "015_customer_metrics.sql", "016_health_scores.sql",
                "017_notifications.sql", "018_customer_events_event_key.sql");
        assertThat(clickhouse).isEqualTo(duckdb);
    }

    @Test
    void clickHouseStatementsAreDatabaseQualifiedAndIdempotent() {
        List<Migrations.Migration> migrations = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", "tributary_x"));
        List<String> statements = migrations.stream().filter(m -> !m.version().equals("008_customer_events_by_year.sql"))
                .flatMap(m -> m.statements().stream()).toList();
        assertThat(statements).hasSize(17);
        assertThat(statements.get(0)).isEqualTo("CREATE DATABASE IF NOT EXISTS tributary_x");
        // every statement is database-qualified; creations are idempotent (ALTERs run once, by the bookkeeping)
        assertThat(statements).allSatisfy(s -> assertThat(s).doesNotContain("{database}")
                .matches(t -> t.contains("IF NOT EXISTS tributary_x") || t.contains("ALTER TABLE tributary_x."), "qualified"));
        assertThat(statements.get(2)).contains("ENGINE = ReplacingMergeTree\nPARTITION BY toYYYYMM(event_timestamp)")
                .contains("ORDER BY (workspace_id, customer_id, event_timestamp, event_id)");
        assertThat(statements.get(3)).contains("ENGINE = ReplacingMergeTree(version)").contains("ORDER BY (workspace_id, customer_id)");
        assertThat(statements.get(8)).contains("tributary_x.customer_insights").contains("ENGINE = ReplacingMergeTree(version)")
                .contains("ORDER BY (workspace_id, insight_id)");
        assertThat(statements.get(9)).startsWith("-- Segments of seed 001").contains("ADD COLUMN deleted UInt8 DEFAULT 0");
    }

    @Test
    void clickHouse008CopiesCustomerEventsSoThatAnyRunCanBeRepeated() {
        List<String> statements = Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", "tributary_x")).stream()
                .filter(m -> m.version().equals("008_customer_events_by_year.sql")).findFirst().orElseThrow().statements();
        // leftovers of an interrupted run go first; the original is dropped only after the swap
        assertThat(statements).hasSize(6);
        assertThat(statements.get(0)).endsWith("DROP TABLE IF EXISTS tributary_x.customer_events_monthly"); // after the file's comment
        assertThat(statements.get(1)).isEqualTo("DROP TABLE IF EXISTS tributary_x.customer_events_yearly");
        assertThat(statements.get(2)).startsWith("CREATE TABLE tributary_x.customer_events_yearly (")
                .contains("PARTITION BY toYear(event_timestamp)").contains("ORDER BY (workspace_id, customer_id, event_timestamp, event_id)")
                .contains("index_granularity = 1024");
        assertThat(statements.get(3)).startsWith("INSERT INTO tributary_x.customer_events_yearly").endsWith("FROM tributary_x.customer_events");
        assertThat(statements.get(4)).startsWith("RENAME TABLE tributary_x.customer_events TO tributary_x.customer_events_monthly,");
        assertThat(statements.get(5)).isEqualTo("DROP TABLE tributary_x.customer_events_monthly");
    }

    @Test
    void everyStoreTablesColumnIsInBothDialectsDdl() {
        for (StoreDialect dialect : StoreDialect.values()) {
            String ddl = String.join("\n", Migrations.load(dialect, Map.of("database", "db")).stream()
                    .flatMap(m -> m.statements().stream()).toList());
            for (StoreTable table : StoreTables.ALL) {
                assertThat(ddl).contains(table.name() + " (");
                table.columns().forEach(c -> assertThat(ddl).as("%s %s.%s", dialect, table.name(), c.name())
                        .containsPattern("(\\n\\s+|ADD COLUMN )" + c.name() + "\\s"));
            }
        }
    }

    @Test
    void appliesOnlyWhatIsNotRecordedAndRunsTheBookkeepingFileEveryTime() {
        List<Migrations.Migration> migrations = List.of(
                new Migrations.Migration("000_bookkeeping.sql", List.of("CREATE bookkeeping IF NOT EXISTS")),
                new Migrations.Migration("001_a.sql", List.of("A1", "A2")),
                new Migrations.Migration("002_b.sql", List.of("B")));
        RecordingTarget target = new RecordingTarget();

        assertThat(Migrations.apply(migrations, target)).containsExactly("000_bookkeeping.sql", "001_a.sql", "002_b.sql");
        assertThat(target.executed).containsExactly("CREATE bookkeeping IF NOT EXISTS", "CREATE bookkeeping IF NOT EXISTS", "A1", "A2", "B");

        target.executed.clear();
        assertThat(Migrations.apply(migrations, target)).isEmpty();
        assertThat(target.executed).containsExactly("CREATE bookkeeping IF NOT EXISTS");

        List<Migrations.Migration> more = new ArrayList<>(migrations);
        more.add(new Migrations.Migration("003_c.sql", List.of("C")));
        target.executed.clear();
        assertThat(Migrations.apply(more, target)).containsExactly("003_c.sql");
        assertThat(target.executed).containsExactly("CREATE bookkeeping IF NOT EXISTS", "C");
    }

    @Test
    void aFailedMigrationIsNotRecorded() {
        RecordingTarget target = new RecordingTarget() {
            @Override
            public void execute(String statement) {
                if (statement.equals("BAD")) {
                    throw new StoreQueryException("rejected", null);
                }
                super.execute(statement);
            }
        };
        List<Migrations.Migration> migrations = List.of(
                new Migrations.Migration("000_bookkeeping.sql", List.of("BOOT")),
                new Migrations.Migration("001_bad.sql", List.of("OK", "BAD")));
        assertThatThrownBy(() -> Migrations.apply(migrations, target)).isInstanceOf(StoreQueryException.class);
        assertThat(target.recorded).containsExactly("000_bookkeeping.sql");
    }

    @Test
    void placeholderValuesMustBeIdentifiers() {
        assertThatThrownBy(() -> Migrations.load(StoreDialect.CLICKHOUSE, Map.of("database", "x; DROP DATABASE y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an identifier");
        assertThatThrownBy(() -> Migrations.load(StoreDialect.CLICKHOUSE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no value was given for it");
    }
}
