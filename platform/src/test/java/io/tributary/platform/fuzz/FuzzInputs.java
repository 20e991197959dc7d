package io.tributary.platform.fuzz;

import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Generators and checks shared by the property-based fuzz tests of the parsers (run by
 * {@link PropertyRun}, combinators in {@link Gen}): arbitrary text, classic injection and encoding
 * edge cases, and valid inputs mutated by a few random edits.
 * The check {@link #assertCleanMessage} is the contract every parser error must meet: a message
 * that says something, without a stack trace, Java class names or SQL.
 */
public final class FuzzInputs {
    /** Strings that broke parsers and SQL builders elsewhere; also sent by the end-to-end fuzz and injection tests. */
    public static final List<String> NASTY = List.of(
            "", " ", "\t", "\n", "\r\n", "\u0000", "a\u0000b", "null", "NULL", "undefined", "true", "-1", "0", "1e309",
            "-9223372036854775809", "9223372036854775808", "2147483648", "NaN", "Infinity", "-0", "0x1F", "1_000",
            "' OR 1=1 --", "'; DROP TABLE customer_events; --", "\") OR (\"1\"=\"1", "\\' UNION SELECT * FROM customers --",
            "{{workspace_id}}", "{% if defined(x) %}", "%27", "%00", "%", "%%", "%zz", "\u2018 OR 1=1 \u2019", "\u201c\u201d",
            "\uFF07 OR 1=1", "\uD800", "\uDFFF", "\uFEFF", "\u202E", "😀", "a\u0301", "${jndi:ldap://x/a}", "../../etc/passwd",
            "<script>alert(1)</script>", "[", "]", "{", "}", "{\"a\":", "[[[[[[[[", "\"", "\\", "\\u0000", "?", "??", "$1",
            "9999-99-99", "2024-02-30", "1969-12-31", "2106-01-01", "2024-01-01T25:00:00Z", "1 OR 1=1", "1; SELECT 1");

    private static final Pattern LEAK = Pattern.compile(
            "(\\tat |\\bat [a-z]+\\.[a-z]+\\.|\\.java:\\d+|\\b(java|javax|jdk|sun|com|org|io|net)\\.[a-z0-9_]+\\.[A-Za-z]"
                    + "|Exception\\b|Error\\b|[A-Z][A-Za-z]+\\.get[A-Z][A-Za-z]*\\(\\)|`[A-Z][A-Za-z]+\\.[A-Za-z_]+|\\[Source: )");

    /** SQL or store internals in a response: statements, ClickHouse/DuckDB error prefixes, table names. */
    private static final Pattern SQL_LEAK = Pattern.compile(
            "(?i)(\\bSELECT\\b|\\bFROM\\b\\s+[a-z_]+|\\bWHERE\\b|DB::Exception|Binder Error|Parser Error|Catalog Error"
                    + "|Conversion Error|customer_events|customer_profiles|customer_segments|segment_membership|health_scores)");

    private FuzzInputs() {
    }

    /** Any text: all code points, control characters and lone surrogates included, mostly short. */
    public static Function<RandomGenerator, String> anyText() {
        return Gen.frequency(
                Gen.weighted(4, Gen.strings(Gen.anyChar(), 0, 40)),
                Gen.weighted(2, Gen.strings(Gen.charOf("{}[]\":,0123456789.eE+-truefalsnl \\\n\r\t'=&%()<>!"), 0, 60)),
                Gen.weighted(2, Gen.elementOf(NASTY)),
                Gen.weighted(1, Gen.strings(Gen.anyChar(), 200, 2_000)));
    }

    /** {@code valid} with 1 to 4 random edits: a character inserted, deleted or replaced, or a nasty string spliced in. */
    public static Function<RandomGenerator, String> mutated(Function<RandomGenerator, String> valid) {
        Function<RandomGenerator, String> spliced = Gen.frequency(
                Gen.weighted(3, Gen.anyChar().andThen(String::valueOf)),
                Gen.weighted(3, Gen.elementOf("{", "}", "[", "]", "\"", ",", ":", "'", "(", ")", "\\", "\n", "&", "=", "%")),
                Gen.weighted(1, Gen.elementOf(NASTY)));
        Function<RandomGenerator, Integer> kinds = Gen.ints(0, 3);
        Function<RandomGenerator, Double> places = Gen.unitInterval();
        Function<RandomGenerator, List<Edit>> edits = Gen.listOf(random -> new Edit(kinds.apply(random), places.apply(random), spliced.apply(random)), 1, 4);
        return random -> {
            String s = valid.apply(random);
            for (Edit e : edits.apply(random)) {
                s = e.apply(s);
            }
            return s;
        };
    }

    private record Edit(int kind, double where, String text) {
        String apply(String s) {
            int at = (int) (where * s.length());
            return switch (kind) {
                case 0 -> s.substring(0, at) + text + s.substring(at);
                case 1 -> s.isEmpty() ? s : s.substring(0, Math.min(at, s.length() - 1)) + s.substring(Math.min(at, s.length() - 1) + 1);
                case 2 -> s.isEmpty() ? text : s.substring(0, Math.min(at, s.length() - 1)) + text + s.substring(Math.min(at, s.length() - 1) + 1);
                default -> s.substring(0, at); // truncated
            };
        }
    }

    /**
     * Whether {@code message} is fit for a client: not blank, no stack trace, no class names, no SQL.
     * The {@code echoed} inputs (and their first 64 characters, as messages quote them cut) are
     * taken out first: a message may quote what the client sent.
     */
    public static boolean isCleanMessage(String message, String... echoed) {
        if (message == null || message.isBlank()) {
            return false;
        }
        String rest = message;
        for (String e : echoed) {
            if (e != null && !e.isEmpty()) {
                rest = rest.replace(e, "").replace(e.substring(0, Math.min(64, e.length())), "");
            }
        }
        return !LEAK.matcher(rest).find();
    }

    /** Whether {@code body} (a response) shows SQL or table names once the {@code echoed} inputs are taken out. */
    public static boolean leaksSql(String body, String... echoed) {
        String rest = body;
        for (String e : echoed) {
            if (e != null && !e.isEmpty()) {
                rest = rest.replace(e, "").replace(e.substring(0, Math.min(64, e.length())), "");
            }
        }
        return SQL_LEAK.matcher(rest).find();
    }

    /** Fails naming the message unless {@link #isCleanMessage}. */
    public static void assertCleanMessage(String message, String... echoed) {
        if (!isCleanMessage(message, echoed)) {
            throw new AssertionError("error message leaks internals or says nothing: " + message);
        }
    }
}
