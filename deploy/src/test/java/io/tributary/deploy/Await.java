package io.tributary.deploy;

import java.util.function.Supplier;

/** Polls a condition of a running node (every 100 ms, at most 30 s): what the asynchronous parts of the pipeline need. */
final class Await {
    private Await() {
    }

    static void until(String what, Supplier<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
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
