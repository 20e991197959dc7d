package io.tributary.deploy;

import io.tributary.deploy.bench.PipelineLag;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Waits until every consumer group of a node (the streams application and every sink) has
 * committed the end offset of every partition it reads, twice in a row: then everything posted
 * so far has flowed through the topology into the store.
 */
final class PipelineDrain {
    private PipelineDrain() {
    }

    /** Returns when (System.nanoTime) the first of the quiet checks saw every group at its end offsets. */
    static long await(String bootstrap, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            int quietChecks = 0;
            long quietSince = 0;
            String lagging = "";
            while (quietChecks < 2) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("pipeline not drained after " + timeout + ": " + lagging);
                }
                var behind = PipelineLag.behind(admin);
                long checked = System.nanoTime();
                lagging = behind.toString();
                quietChecks = behind.isEmpty() ? quietChecks + 1 : 0;
                quietSince = quietChecks == 1 ? checked : quietSince;
                TimeUnit.MILLISECONDS.sleep(300);
            }
            return quietSince;
        }
    }
}
