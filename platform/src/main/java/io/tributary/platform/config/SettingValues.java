package io.tributary.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raw setting values resolved from flags, environment, an optional file and defaults, in that
 * order of precedence; remembers where each value came from for the start-up printout.
 */
public final class SettingValues {
    public enum Source { FLAG, ENV, FILE, DEFAULT }

    private record Value(String text, Source source) {
    }

    private final Map<Setting, Value> values;

    private SettingValues(Map<Setting, Value> values) {
        this.values = values;
    }

    /**
     * @param flags values given on the command line, by setting
     * @param env   the process environment (System.getenv())
     */
    public static SettingValues resolve(Map<Setting, String> flags, Map<String, String> env) {
        Map<Setting, Value> out = new EnumMap<>(Setting.class);
        String configPath = firstNonEmpty(flags.get(Setting.CONFIG), env.get(Setting.CONFIG.envVar()));
        Properties file = configPath == null ? new Properties() : load(Path.of(configPath));
        Set<String> unknown = new TreeSet<>(file.stringPropertyNames());
        for (Setting s : Setting.values()) {
            unknown.remove(s.key());
            if (flags.containsKey(s)) {
                out.put(s, new Value(flags.get(s), Source.FLAG));
            } else if (env.containsKey(s.envVar())) {
                out.put(s, new Value(env.get(s.envVar()), Source.ENV));
            } else if (file.containsKey(s.key())) {
                out.put(s, new Value(file.getProperty(s.key()), Source.FILE));
            } else {
                out.put(s, new Value(s.defaultValue(), Source.DEFAULT));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown settings in " + configPath + ": " + unknown);
        }
        return new SettingValues(out);
    }

    private static Properties load(Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        return props;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    public String text(Setting s) {
        return values.get(s).text().trim();
    }

    public Optional<String> optional(Setting s) {
        String v = text(s);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public Source source(Setting s) {
        return values.get(s).source();
    }

    public int integer(Setting s, int min, int max) {
        String v = text(s);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ConfigException(s.flag() + " (" + s.envVar() + ") must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(s.flag() + " (" + s.envVar() + ") must be an integer, got '" + v + "'");
        }
    }

    public long longValue(Setting s, long min, long max) {
        String v = text(s);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new ConfigException(s.flag() + " (" + s.envVar() + ") must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(s.flag() + " (" + s.envVar() + ") must be an integer, got '" + v + "'");
        }
    }
}
