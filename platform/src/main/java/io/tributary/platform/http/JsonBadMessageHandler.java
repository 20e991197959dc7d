package io.tributary.platform.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Requests Jetty refuses before any route sees them (a NUL byte or an invalid escape in the path,
 * headers too large) are answered in the API's error shape instead of Jetty's HTML page.
 */
final class JsonBadMessageHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        String code = switch (status) {
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "REQUEST_HEADER_FIELDS_TOO_LARGE";
            default -> "BAD_REQUEST";
        };
        String message = switch (status) {
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 413 -> "the request is too large";
            default -> "the request line or headers are malformed (e.g. a NUL byte or an invalid %-escape in the path)";
        };
        String json = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":[]}}";
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }
}
