package io.tributary.platform.http;

/** A dependency {@code /ready} checks: returns normally when reachable, throws otherwise. */
public record ReadinessCheck(String name, Probe probe) {

    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }
}
