package io.tributary.deploy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time (user + system, as the kernel counts it in {@code /proc/<pid>/stat}) used by each role's
 * processes, summed per role. Two samples give what a piece of work cost each role in CPU
 * seconds, whatever else shares the cores: the per-core capacity of a role is the work divided by
 * those seconds, which a wall-clock rate on a shared 2-core machine cannot tell.
 */
record RoleCpu(Map<String, Duration> byRole) {
    RoleCpu {
        byRole = Map.copyOf(byRole);
    }

    /** Samples {@code processes} per role; a role with no process, or one whose CPU time the OS does not report, is left out. */
    static RoleCpu of(Map<String, List<ProcessHandle>> processes) {
        Map<String, Duration> byRole = new LinkedHashMap<>();
        processes.forEach((role, handles) -> {
            Duration total = Duration.ZERO;
            for (ProcessHandle handle : handles) {
                Optional<Duration> cpu = handle.info().totalCpuDuration();
                if (cpu.isEmpty()) {
                    return;
                }
                total = total.plus(cpu.get());
            }
            if (!handles.isEmpty()) {
                byRole.put(role, total);
            }
        });
        return new RoleCpu(byRole);
    }

    /** CPU seconds used by {@code role} since {@code earlier}; empty when either sample lacks the role. */
    Optional<Double> secondsSince(RoleCpu earlier, String role) {
        Duration now = byRole.get(role);
        Duration then = earlier.byRole.get(role);
        if (now == null || then == null) {
            return Optional.empty();
        }
        return Optional.of(now.minus(then).toNanos() / 1e9);
    }
}
