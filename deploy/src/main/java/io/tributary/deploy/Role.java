package io.tributary.deploy;

/** What a process runs. The all-in-one runs all three on one HTTP port. */
public enum Role {
    /** Write routes: Events API; validation, quarantine, produce to Kafka. */
    GATEWAY,
    /** Kafka Streams topologies and store sinks. */
    PROCESSORS,
    /** Read routes: pipes. */
    QUERY
}
