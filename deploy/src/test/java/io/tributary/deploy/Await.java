package io.tributary.deploy;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition of a running node (every 100 ms, at most 30 s unless told): what the asynchronous parts of the pipeline need. */
final class Await {
    private Await() {
    }

    static void until(String what, Supplier<Boolean> condition) {
        until(what, Duration.ofSeconds(30), condition);
    }

    static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
