package io.tributary.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors phrased for clients: the original message without the references to
 * Jackson's own classes that some carry (e.g. "{@code , from `StreamReadConstraints.getMaxNestingDepth()`}"
 * or "{@code [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]}").
 */
public final class JsonErrors {
    /** Deepest JSON nesting the write routes read; their bodies are at most a few levels deep. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final Pattern FROM_SETTING = Pattern.compile(", from `[^`]*`");
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");
    private static final Pattern BACKTICKED = Pattern.compile("`[A-Za-z_.]+\\.[A-Za-z_()]+`");

    private JsonErrors() {
    }

    /** What is wrong with the JSON, in Jackson's words minus its class and setting names. */
    public static String reason(JsonProcessingException e) {
        return clean(e.getOriginalMessage());
    }

    static String clean(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        String s = FROM_SETTING.matcher(message).replaceAll("");
        s = SOURCE.matcher(s).replaceAll("[");
        return BACKTICKED.matcher(s).replaceAll("").strip();
    }
}
