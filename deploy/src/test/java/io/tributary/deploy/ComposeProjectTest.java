package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.deploy.ComposeProject.Service;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How ComposeStackIT reads deploy/compose: compose's interpolation, env precedence, merge keys and start order. */
class ComposeProjectTest {
    private static final Path COMPOSE = Path.of("compose");
    private static final Map<String, String> SECRETS = Map.of("TRIBUTARY_ADMIN_TOKEN", "t0ken", "TRIBUTARY_CLICKHOUSE_PASSWORD", "pw",
            "GRAFANA_ADMIN_PASSWORD", "gpw");

    @Test
    void interpolationTakesDefaultsAndRefusesWhatIsRequiredButEmpty() {
        Map<String, String> vars = Map.of("SET", "x", "EMPTY", "");
        assertThat(ComposeProject.interpolate("a ${SET} ${UNSET} ${EMPTY:-d} ${UNSET:-e} ${SET:-f} $$plain", vars)).isEqualTo("a x  d e x $plain");
        assertThatThrownBy(() -> ComposeProject.interpolate("${EMPTY:?set EMPTY please}", vars))
                .hasMessageContaining("EMPTY").hasMessageContaining("set EMPTY please");
    }

    @Test
    void composeRefusesToStartWhileTheSecretsAreEmpty() {
        assertThatThrownBy(() -> ComposeProject.load(COMPOSE, Map.of())).hasMessageContaining("set TRIBUTARY_ADMIN_TOKEN in .env");
    }

    @Test
    void servicesGetTheEnvFileThenTheirEnvironmentWithTheShellBeforeDotEnv() throws Exception {
        ComposeProject project = ComposeProject.load(COMPOSE, SECRETS);
        Service gateway2 = project.services().get("gateway-2");
        // gateway-2 is gateway-1 through a YAML alias, which merges the x-tributary anchor
        assertThat(gateway2.command()).containsExactly("gateway");
        assertThat(gateway2.build()).isPresent();
        assertThat(gateway2.environment()).containsEntry("TRIBUTARY_ADMIN_TOKEN", "t0ken")
                .containsEntry("TRIBUTARY_KAFKA_BOOTSTRAP", project.dotEnv().get("TRIBUTARY_KAFKA_BOOTSTRAP"));
        assertThat(gateway2.healthcheck()).containsExactly("CMD", "curl", "-fsS", "-o", "/dev/null", "http://localhost:8080/ready");
        assertThat(gateway2.memoryLimit()).contains("1g");
        assertThat(project.services().get("clickhouse").environment()).containsEntry("CLICKHOUSE_PASSWORD", "pw");
        assertThat(project.services().get("processors-1").volumes()).containsExactly(new ComposeProject.Volume("processors-1-state", "/var/lib/tributary", true));
        assertThat(project.services().get("grafana").dependsOn()).containsEntry("prometheus", "service_started");
    }

    @Test
    void everyServiceStartsAfterThoseItDependsOn() throws Exception {
        List<String> order = ComposeProject.load(COMPOSE, SECRETS).startOrder().stream().map(Service::name).toList();
        assertThat(order).hasSize(12);
        assertThat(order.indexOf("processors-1")).isLessThan(order.indexOf("processors-2")).isLessThan(order.indexOf("proxy"));
        assertThat(order.indexOf("kafka")).isLessThan(order.indexOf("schema-registry")).isLessThan(order.indexOf("gateway-1"));
        assertThat(order.indexOf("query-2")).isLessThan(order.indexOf("proxy"));
    }

    @Test
    void kafkaVariablesBecomePropertiesByTheImagesRule() {
        assertThat(LocalComposeStack.kafkaProperty("KAFKA_LOG_DIRS")).isEqualTo("log.dirs");
        assertThat(LocalComposeStack.kafkaProperty("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).isEqualTo("listener.security.protocol.map");
        assertThat(LocalComposeStack.kafkaProperty("KAFKA_A__B___C")).isEqualTo("a-b_c");
        assertThat(ComposeProject.repository("apache/kafka:4.1.2")).isEqualTo("apache/kafka");
        assertThat(ComposeProject.repository("localhost:5000/nginx")).isEqualTo("localhost:5000/nginx");
    }
}
