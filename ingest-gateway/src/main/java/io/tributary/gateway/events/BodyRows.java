package io.tributary.gateway.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.util.Objects;

/**
 * Splits an Events API body into rows without copying it. A body is either
 * <ul>
 *   <li>NDJSON: every non-blank line is one row; blank lines are skipped but counted, so line
 *       numbers are those of the body; CRLF line ends are fine; or</li>
 *   <li>one JSON object spread over several lines (a pretty-printed object posted with
 *       {@code curl -d}): one row, numbered by the line it starts on.</li>
 * </ul>
 * The second form is chosen only when the first non-blank line is an unfinished JSON object and
 * the whole body, from there on, is exactly one JSON object; any other body is NDJSON (its bad
 * lines are then rejected one by one).
 */
public final class BodyRows {
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Receives each row as a range of the body. Returns false to stop early. */
    @FunctionalInterface
    public interface RowVisitor {
        boolean row(long lineNumber, int offset, int length);
    }

    private final JsonFactory json;

    public BodyRows(JsonFactory json) {
        this.json = Objects.requireNonNull(json);
    }

    /** Visits the rows of {@code body} in order; returns how many were visited. */
    public long forEach(EventsBody body, RowVisitor visitor) {
        byte[] b = body.bytes();
        int end = body.length();
        int start = startsWith(b, end, UTF8_BOM) ? UTF8_BOM.length : 0;

        // Find the first non-blank line: it decides between NDJSON and one multi-line object.
        long lineNumber = 1;
        int lineStart = start;
        while (lineStart < end) {
            int lineEnd = lineEnd(b, lineStart, end);
            if (!isBlank(b, lineStart, lineEnd)) {
                break;
            }
            lineStart = lineEnd + 1;
            lineNumber++;
        }
        if (lineStart >= end) {
            return 0;
        }
        int firstLineEnd = lineEnd(b, lineStart, end);
        if (firstLineEnd < end && isUnfinishedObject(b, lineStart, firstLineEnd) && isOneObject(b, lineStart, end)) {
            visitor.row(lineNumber, lineStart, trimEnd(b, lineStart, end) - lineStart);
            return 1;
        }

        long rows = 0;
        while (lineStart < end) {
            int lineEnd = lineEnd(b, lineStart, end);
            if (!isBlank(b, lineStart, lineEnd)) {
                rows++;
                int contentEnd = lineEnd > lineStart && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                if (!visitor.row(lineNumber, lineStart, contentEnd - lineStart)) {
                    return rows;
                }
            }
            lineStart = lineEnd + 1;
            lineNumber++;
        }
        return rows;
    }

    /** Index of the '\n' ending the line that starts at {@code from}, or {@code end}. */
    private static int lineEnd(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        int i = to;
        while (i > from && (b[i - 1] == ' ' || b[i - 1] == '\t' || b[i - 1] == '\r' || b[i - 1] == '\n')) {
            i--;
        }
        return i;
    }

    private static boolean startsWith(byte[] b, int end, byte[] prefix) {
        if (end < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the range opens a JSON object that the range does not close. */
    private boolean isUnfinishedObject(byte[] b, int from, int to) {
        try (JsonParser p = json.createParser(b, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return false;
        } catch (JsonEOFException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the range holds exactly one JSON object and nothing else but whitespace. */
    private boolean isOneObject(byte[] b, int from, int to) {
        try (JsonParser p = json.createParser(b, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) { // malformed: then the body is NDJSON with bad lines
            return false;
        }
    }
}
