package io.tributary.platform.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dependency {@code /ready} checks: returns normally when reachable, throws otherwise. */
public record ReadinessCheck(String name, Probe probe) {

    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    /** The outcome of running every check: {@code checks} maps each name to {@code UP} or {@code DOWN: <reason>}. */
    public record Results(boolean ready, Map<String, String> checks) {
        public String status() {
            return ready ? "READY" : "NOT_READY";
        }
    }

    /** Runs the checks in order (used by {@code /ready} and the ops report). */
    public static Results runAll(List<ReadinessCheck> checks) {
        Map<String, String> results = new LinkedHashMap<>();
        boolean ready = true;
        for (ReadinessCheck check : checks) {
            try {
                check.probe().check();
                results.put(check.name(), "UP");
            } catch (Exception e) {
                ready = false;
                results.put(check.name(), "DOWN: " + e.getMessage());
            }
        }
        return new Results(ready, results);
    }
}
