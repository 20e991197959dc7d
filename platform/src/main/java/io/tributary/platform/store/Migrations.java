package io.tributary.platform.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the DDL of {@code ddl/<dialect>/} (schemas module) that a store has not recorded yet. The
 * files are listed in order in {@code ddl/<dialect>/index.txt}, because a classpath directory cannot
 * be listed inside a jar. Each file is recorded in the store's {@code schema_migrations} table under
 * its file name once all its statements ran.
 *
 * <p>The first file of every index creates the bookkeeping itself; it is run at every start, before
 * the applied versions are read, and must therefore be idempotent ({@code IF NOT EXISTS}). ClickHouse
 * has no transactional DDL, so its files are all idempotent: a run that stopped half-way is simply
 * repeated.
 *
 * <p>{@code {name}} placeholders in the files (e.g. ClickHouse's {@code {database}}) are filled from
 * the given values, which must be plain identifiers because they become SQL text.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    public static final String INDEX_FILE = "index.txt";

    /** One DDL file: its name (the version recorded) and its statements, placeholders filled. */
    public record Migration(String version, List<String> statements) {
        public Migration {
            statements = List.copyOf(statements);
        }
    }

    /** What Migrations needs from a store. */
    public interface Target {
        /** Runs one DDL or bookkeeping statement. */
        void execute(String statement);

        /** Versions recorded in schema_migrations. */
        Set<String> appliedVersions();

        /** Records {@code version} in schema_migrations. */
        void recordApplied(String version);

        /**
         * Runs {@code work} so that its statements and the record take effect together where the
         * store can (DuckDB: one transaction); ClickHouse simply runs it.
         */
        default void atomically(Runnable work) {
            work.run();
        }
    }

    private Migrations() {
    }

    /** Loads the migrations of {@code dialect} from the classpath, in index order. */
    public static List<Migration> load(StoreDialect dialect, Map<String, String> placeholders) {
        placeholders.forEach((name, value) -> {
            if (!IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException("placeholder " + name + " must be an identifier ([A-Za-z_][A-Za-z0-9_]*), got '" + value + "'");
            }
        });
        String dir = "ddl/" + dialect.id() + "/";
        List<Migration> migrations = new ArrayList<>();
        for (String line : resource(dir + INDEX_FILE).split("\\R")) {
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            String script = fill(resource(dir + file), placeholders, dir + file);
            migrations.add(new Migration(file, SqlText.splitStatements(script)));
        }
        if (migrations.isEmpty()) {
            throw new IllegalStateException(dir + INDEX_FILE + " lists no migrations");
        }
        return migrations;
    }

    /** Applies the migrations {@code target} has not recorded; returns the versions applied now. */
    public static List<String> apply(List<Migration> migrations, Target target) {
        Migration bookkeeping = migrations.get(0);
        bookkeeping.statements().forEach(target::execute);
        Set<String> applied = new LinkedHashSet<>(target.appliedVersions());
        List<String> appliedNow = new ArrayList<>();
        for (Migration migration : migrations) {
            if (applied.contains(migration.version())) {
                continue;
            }
            target.atomically(() -> {
                migration.statements().forEach(target::execute);
                target.recordApplied(migration.version());
            });
            appliedNow.add(migration.version());
            LOG.info("applied migration {}", migration.version());
        }
        return appliedNow;
    }

    private static String fill(String script, Map<String, String> placeholders, String file) {
        Matcher m = PLACEHOLDER.matcher(script);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = placeholders.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(file + " uses {" + m.group(1) + "} but no value was given for it");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
