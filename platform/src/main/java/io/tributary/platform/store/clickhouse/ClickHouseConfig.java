package io.tributary.platform.store.clickhouse;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how ClickHouseStore connects.
 *
 * @param url            HTTP interface, e.g. {@code http://127.0.0.1:8123} (no path, no query)
 * @param user           user name; {@code default} unless configured
 * @param password       password, {@code ""} when none — always sent explicitly, since client-v2 would
 *                       otherwise send the literal {@code null}
 * @param database       database holding Tributary's tables; created by {@code migrate()}; a plain
 *                       identifier because the DDL is database-qualified through {@code {database}}
 * @param connectTimeout how long to wait for a TCP connection before the store counts as unavailable
 * @param socketTimeout  how long a statement may take before the store counts as unavailable
 * @param cluster        {@code ""} for one server; else the name of a cluster in the servers' {@code <remote_servers>},
 *                       whose tables the migrations create as replicated local tables behind Distributed ones
 *                       ({@link ClusterDdl})
 */
public record ClickHouseConfig(String url, String user, String password, String database, Duration connectTimeout, Duration socketTimeout,
        String cluster) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ClickHouseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password (use \"\" for none)");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        Objects.requireNonNull(cluster, "cluster (use \"\" for one server)");
        URI uri = URI.create(url);
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("ClickHouse url must be http(s)://host:port, got " + url);
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("ClickHouse database must be an identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + database + "'");
        }
        if (!cluster.isEmpty()) {
            new ClusterDdl(cluster); // validates the name, which becomes SQL text
        }
    }

    /** Defaults: user {@code default}, no password, connect timeout 5 s, statement timeout 60 s, one server. */
    public static ClickHouseConfig of(String url, String database) {
        return new ClickHouseConfig(url, "default", "", database, Duration.ofSeconds(5), Duration.ofSeconds(60), "");
    }

    public ClickHouseConfig withCredentials(String user, String password) {
        return new ClickHouseConfig(url, user, password, database, connectTimeout, socketTimeout, cluster);
    }

    public ClickHouseConfig withTimeouts(Duration connectTimeout, Duration socketTimeout) {
        return new ClickHouseConfig(url, user, password, database, connectTimeout, socketTimeout, cluster);
    }

    /** {@code ""} = one server; see {@link #cluster()}. */
    public ClickHouseConfig withCluster(String cluster) {
        return new ClickHouseConfig(url, user, password, database, connectTimeout, socketTimeout, cluster);
    }

    /** The cluster DDL rewriter when a cluster is configured. */
    public Optional<ClusterDdl> clusterDdl() {
        return cluster.isEmpty() ? Optional.empty() : Optional.of(new ClusterDdl(cluster));
    }

    @Override
    public String toString() {
        return "ClickHouseConfig[url=" + url + ", user=" + user + ", database=" + database + (cluster.isEmpty() ? "" : ", cluster=" + cluster) + "]";
    }
}
