package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.config.Setting;
import io.tributary.platform.store.StoreTable;
import io.tributary.platform.store.StoreTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The replay contract on the embedded default: DuckDB file and broker in the data dir; the replay starts the broker itself. */
class ReplayCommandDuckDbFaultIT extends ReplayCommandContract {

    @Override
    protected Map<Setting, String> storeSettings(Path dataDir) {
        return Map.of(Setting.DUCKDB_PATH, duckDbFile().toString());
    }

    private Path duckDbFile() {
        return dataDir.resolve("store.duckdb");
    }

    /** While the node runs, a replay in another process finds the DuckDB file locked, says so, and changes nothing. */
    @Test
    @Order(0)
    void replayRefusesWhileTheNodeHoldsTheDuckDbFile() throws Exception {
        LauncherProcess.Completed run = LauncherProcess.run(Duration.ofMinutes(2), "replay", "--from", "earliest",
                "--data-dir", dataDir.toString(), "--duckdb-path", duckDbFile().toString(), "--kafka-port", "0");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("replay failed: the DuckDB file " + duckDbFile() + " is locked by another process")
                .contains("stop the node").doesNotContain("Exception");
    }

    @Override
    protected boolean keepsTheFirstCopyOfARepostedEvent() {
        return true;
    }

    @Override
    protected void emptyTablesByHand() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (StoreTable table : StoreTables.ALL) {
                s.execute("DELETE FROM " + table.name());
            }
        }
    }

    @Override
    protected long rowsByHand(StoreTable table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.name())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    protected Set<String> eventIdsByHand() throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT event_id FROM customer_events")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + duckDbFile());
    }
}
