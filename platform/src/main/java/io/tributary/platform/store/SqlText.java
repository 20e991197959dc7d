package io.tributary.platform.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A lexical scan of SQL text that tells code from string literals, quoted identifiers and comments,
 * so that a {@code ?} or {@code ;} is only taken for a placeholder or a statement end where it is
 * code. One scanner serves both dialects with ClickHouse's rules, the stricter superset:
 * <ul>
 *   <li>{@code '...'} string literals, {@code "..."} and {@code `...`} quoted identifiers; inside
 *       them a backslash escapes the next character and a doubled quote stands for one quote;</li>
 *   <li>{@code -- ...} comments to the end of the line and {@code /* ... *}{@code /} comments (not nested).</li>
 * </ul>
 * DuckDB does not treat a backslash as an escape, so a DuckDB literal that ends in a backslash
 * ({@code 'C:\'}) reads as unterminated here: bind such a value as a parameter instead.
 * Unterminated literals and comments are rejected, never guessed at.
 */
public final class SqlText {

    private SqlText() {
    }

    /** Offsets of the {@code ?} placeholders of {@code sql}, in order. */
    public static List<Integer> placeholderOffsets(String sql) {
        List<Integer> offsets = new ArrayList<>();
        scanCode(sql, i -> {
            if (sql.charAt(i) == '?') {
                offsets.add(i);
            }
        });
        return offsets;
    }

    /**
     * Splits a script into its statements at {@code ;} outside literals and comments. Pieces with
     * nothing but whitespace and comments (e.g. after the last {@code ;}) are dropped; each statement
     * is returned trimmed, without its {@code ;}.
     */
    public static List<String> splitStatements(String script) {
        List<Integer> ends = new ArrayList<>();
        List<Integer> codeCounts = new ArrayList<>();
        int[] codeSinceLastEnd = {0};
        scanCode(script, i -> {
            if (script.charAt(i) == ';') {
                ends.add(i);
                codeCounts.add(codeSinceLastEnd[0]);
                codeSinceLastEnd[0] = 0;
            } else if (!Character.isWhitespace(script.charAt(i))) {
                codeSinceLastEnd[0]++;
            }
        });
        ends.add(script.length());
        codeCounts.add(codeSinceLastEnd[0]);
        List<String> statements = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < ends.size(); k++) {
            if (codeCounts.get(k) > 0) {
                statements.add(script.substring(start, ends.get(k)).trim());
            }
            start = ends.get(k) + 1;
        }
        return statements;
    }

    /**
     * Returns {@code sql} as exactly one statement, without a trailing {@code ;}; throws
     * IllegalArgumentException when it holds no statement or more than one.
     */
    public static String singleStatement(String sql) {
        List<String> statements = splitStatements(sql);
        if (statements.size() != 1) {
            throw new IllegalArgumentException("expected exactly one SQL statement, found " + statements.size());
        }
        return statements.get(0);
    }

    /**
     * {@code sql} with each comment replaced by one space, literals and quoted identifiers untouched,
     * so that code can be matched with patterns without a comment's words (or quotes) getting in the way.
     */
    public static String withoutComments(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        scan(sql, i -> out.append(sql.charAt(i)), (start, end, comment) -> {
            if (comment) {
                out.append(' ');
            } else {
                out.append(sql, start, end);
            }
        });
        return out.toString();
    }

    /** Offset of the {@code )} that closes the {@code (} at {@code open}, counting only parentheses that are code. */
    public static int closingParenthesis(String sql, int open) {
        if (sql.charAt(open) != '(') {
            throw new IllegalArgumentException("no ( at offset " + open);
        }
        int[] depth = {0};
        int[] close = {-1};
        scanCode(sql.substring(open), i -> {
            char c = sql.charAt(open + i);
            if (close[0] >= 0) {
                return;
            }
            if (c == '(') {
                depth[0]++;
            } else if (c == ')' && --depth[0] == 0) {
                close[0] = open + i;
            }
        });
        if (close[0] < 0) {
            throw new IllegalArgumentException("unbalanced ( at offset " + open);
        }
        return close[0];
    }

    /** {@code sql} split at the commas that are code and outside parentheses, each piece trimmed. */
    public static List<String> splitTopLevelCommas(String sql) {
        List<String> pieces = new ArrayList<>();
        int[] depth = {0};
        int[] start = {0};
        scanCode(sql, i -> {
            char c = sql.charAt(i);
            if (c == '(') {
                depth[0]++;
            } else if (c == ')') {
                depth[0]--;
            } else if (c == ',' && depth[0] == 0) {
                pieces.add(sql.substring(start[0], i).trim());
                start[0] = i + 1;
            }
        });
        pieces.add(sql.substring(start[0]).trim());
        return pieces;
    }

    /** Calls {@code onCode} with the offset of every character that is code (outside literals and comments). */
    static void scanCode(String sql, IntConsumer onCode) {
        scan(sql, onCode, (start, end, comment) -> {
        });
    }

    /** What {@link #scan} found that is not code: {@code [start, end)} is a literal, a quoted identifier or (when {@code comment}) a comment. */
    private interface NotCode {
        void accept(int start, int end, boolean comment);
    }

    private static void scan(String sql, IntConsumer onCode, NotCode onNotCode) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = endOfQuoted(sql, i);
                onNotCode.accept(i, end, false);
            } else if (c == '-' && next == '-') {
                end = endOfLine(sql, i);
                onNotCode.accept(i, end, true);
            } else if (c == '/' && next == '*') {
                int close = sql.indexOf("*/", i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated /* comment starting at offset " + i);
                }
                end = close + 2;
                onNotCode.accept(i, end, true);
            } else {
                onCode.accept(i);
                end = i + 1;
            }
            i = end;
        }
    }

    private static int endOfQuoted(String sql, int open) {
        char quote = sql.charAt(open);
        int n = sql.length();
        int j = open + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        throw new IllegalArgumentException("unterminated " + (quote == '\'' ? "string literal" : "quoted identifier")
                + " starting at offset " + open);
    }

    private static int endOfLine(String sql, int start) {
        int n = sql.length();
        int j = start;
        while (j < n && sql.charAt(j) != '\n' && sql.charAt(j) != '\r') {
            j++;
        }
        return j;
    }
}
