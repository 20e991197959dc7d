package io.tributary.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TributaryConfigTest {

    @Test
    void defaultsDescribeTheEmbeddedAllInOne() {
        TributaryConfig c = TributaryConfig.from(SettingValues.resolve(Map.of(), Map.of()));
        assertThat(c.embeddedKafka()).isTrue();
        assertThat(c.embeddedRegistry()).isTrue();
        assertThat(c.store()).isEqualTo(StoreKind.DUCKDB);
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.kafkaPort()).isEqualTo(9092);
        assertThat(c.duckdbPath()).isEqualTo(c.dataDir().resolve("tributary.duckdb"));
        assertThat(c.sinkLinger()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void flagBeatsEnvBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.properties");
        Files.writeString(file, "http-port=7000\nkafka-port=7001\npartitions=3\n");
        Map<String, String> env = Map.of("TRIBUTARY_CONFIG", file.toString(), "TRIBUTARY_KAFKA_PORT", "8001", "TRIBUTARY_STORE", "clickhouse");
        TributaryConfig c = TributaryConfig.from(SettingValues.resolve(Map.of(Setting.KAFKA_PORT, "9001"), env));
        assertThat(c.kafkaPort()).isEqualTo(9001);
        assertThat(c.httpPort()).isEqualTo(7000);
        assertThat(c.partitions()).isEqualTo(3);
        assertThat(c.store()).isEqualTo(StoreKind.CLICKHOUSE);
        assertThat(c.sinkLinger()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.sources().source(Setting.KAFKA_PORT)).isEqualTo(SettingValues.Source.FLAG);
        assertThat(c.sources().source(Setting.STORE)).isEqualTo(SettingValues.Source.ENV);
        assertThat(c.sources().source(Setting.HTTP_PORT)).isEqualTo(SettingValues.Source.FILE);
    }

    @Test
    void describeMasksSecrets() {
        TributaryConfig c = TributaryConfig.from(SettingValues.resolve(
                Map.of(Setting.ADMIN_TOKEN, "s3cret-token", Setting.CLICKHOUSE_PASSWORD, "pw"), Map.of()));
        assertThat(String.join("\n", c.describe())).doesNotContain("s3cret-token").doesNotContain(" pw ").contains("admin-token").contains("****");
        assertThat(c.adminToken()).contains("s3cret-token");
    }

    @Test
    void invalidValuesNameTheSettingAndItsEnvVar(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TributaryConfig.from(SettingValues.resolve(Map.of(Setting.HTTP_PORT, "eighty"), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--http-port").hasMessageContaining("TRIBUTARY_HTTP_PORT");
        assertThatThrownBy(() -> TributaryConfig.from(SettingValues.resolve(Map.of(Setting.STORE, "postgres"), Map.of())))
                .hasMessageContaining("duckdb or clickhouse");
        assertThatThrownBy(() -> TributaryConfig.from(SettingValues.resolve(Map.of(Setting.CLICKHOUSE_URL, "nope"), Map.of())))
                .hasMessageContaining("--clickhouse-url");
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "http-prot=1\n");
        assertThatThrownBy(() -> SettingValues.resolve(Map.of(Setting.CONFIG, file.toString()), Map.of()))
                .hasMessageContaining("http-prot");
    }

    @Test
    void aClickHouseClusterIsOptionalAndMustBeAnIdentifier() {
        assertThat(TributaryConfig.from(SettingValues.resolve(Map.of(), Map.of())).clickhouseCluster()).isEmpty();
        assertThat(TributaryConfig.from(SettingValues.resolve(Map.of(), Map.of("TRIBUTARY_CLICKHOUSE_CLUSTER", "analytics"))).clickhouseCluster())
                .contains("analytics");
        assertThatThrownBy(() -> TributaryConfig.from(SettingValues.resolve(Map.of(Setting.CLICKHOUSE_CLUSTER, "a b"), Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--clickhouse-cluster");
    }

    @Test
    void envVarNamesFollowTheFlagNames() {
        assertThat(Setting.KAFKA_BOOTSTRAP.envVar()).isEqualTo("TRIBUTARY_KAFKA_BOOTSTRAP");
        assertThat(Setting.ADMIN_TOKEN.envVar()).isEqualTo("TRIBUTARY_ADMIN_TOKEN");
        assertThat(Setting.SCHEMA_REGISTRY_URL.flag()).isEqualTo("--schema-registry-url");
    }
}
