package io.tributary.platform.store.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * A ClickHouse type name parsed into its outer name and arguments, and normalised for
 * {@link io.tributary.platform.store.QueryResult.ResultColumn}: Nullable(...) and LowCardinality(...)
 * are unwrapped and the time zone of DateTime('UTC') / DateTime64(3, 'UTC') is dropped, at every
 * nesting level (Array(Nullable(String)) → Array(String)).
 */
record ClickHouseTypes(String name, List<String> args) {

    static ClickHouseTypes parse(String type) {
        String t = type.strip();
        int open = t.indexOf('(');
        if (open < 0 || !t.endsWith(")")) {
            return new ClickHouseTypes(t, List.of());
        }
        return new ClickHouseTypes(t.substring(0, open).strip(), splitTopLevel(t.substring(open + 1, t.length() - 1)));
    }

    /** The normalised name of {@code type}. */
    static String normalise(String type) {
        ClickHouseTypes parsed = parse(type);
        return switch (parsed.name()) {
            case "Nullable", "LowCardinality" -> normalise(parsed.args().get(0));
            case "DateTime" -> "DateTime";
            // newer servers have Bool; 18.16 and DuckDB's BOOLEAN (as this port reports it) are UInt8
            case "Bool" -> "UInt8";
            case "DateTime64" -> "DateTime64(" + parsed.args().get(0).strip() + ")";
            case "Array" -> "Array(" + normalise(parsed.args().get(0)) + ")";
            case "Decimal" -> "Decimal(" + parsed.args().get(0).strip() + ", " + parsed.args().get(1).strip() + ")";
            default -> parsed.args().isEmpty() ? parsed.name()
                    : parsed.name() + "(" + String.join(", ", parsed.args().stream().map(ClickHouseTypes::normaliseArg).toList()) + ")";
        };
    }

    /** The type without Nullable/LowCardinality wrappers (parsed), for value conversion. */
    static ClickHouseTypes unwrap(String type) {
        ClickHouseTypes parsed = parse(type);
        while (parsed.name().equals("Nullable") || parsed.name().equals("LowCardinality")) {
            parsed = parse(parsed.args().get(0));
        }
        return parsed;
    }

    private static String normaliseArg(String arg) {
        String a = arg.strip();
        // arguments are types (Tuple, Map) or literals (FixedString(16), Enum8('a' = 1)); only types change
        return a.isEmpty() || a.startsWith("'") || Character.isDigit(a.charAt(0)) || a.contains("=") ? a : normalise(a);
    }

    /** Splits {@code args} at commas that are not inside parentheses or quotes. */
    static List<String> splitTopLevel(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    quoted = false;
                }
            } else if (c == '\'') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(args.substring(start).strip());
        return out;
    }
}
