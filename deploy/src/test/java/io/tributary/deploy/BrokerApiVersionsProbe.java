package io.tributary.deploy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The apache/kafka image's health check tool, {@code kafka-broker-api-versions.sh --bootstrap-server
 * <host:port>}, for {@link LocalComposeStack}: exits 0 once the broker answers a client's API
 * versions request and metadata, 1 otherwise. (The tool itself is in kafka-tools, not a dependency here.)
 */
final class BrokerApiVersionsProbe {
    private BrokerApiVersionsProbe() {
    }

    public static void main(String[] args) {
        String bootstrap = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--bootstrap-server")) {
                bootstrap = args[i + 1];
            }
        }
        if (bootstrap == null) {
            System.err.println("usage: kafka-broker-api-versions.sh --bootstrap-server <host:port>");
            System.exit(2);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000))) {
            System.out.println(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS));
            System.exit(0);
        } catch (Exception e) {
            System.err.println("broker at " + bootstrap + " did not answer: " + e);
            System.exit(1);
        }
    }
}
