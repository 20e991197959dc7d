package io.tributary.platform.store.clickhouse;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the error text of a failed read or DDL statement from ClickHouse 18.16. That release puts
 * the text only in the response body and not in the {@code X-ClickHouse-Exception-Code} header that
 * client-v2 relies on, so client-v2 reports "&lt;Unreadable error message&gt;". This sends the same
 * statement once more with plain {@code java.net.http}, with the same URL settings, and returns the
 * body of the error response. Only for statements that are safe to repeat: reads (sent with
 * {@code readonly=2}) and idempotent DDL; never for inserts.
 */
final class ClickHouseErrorText {
    private static final int MAX_TEXT = 2000;

    /** A statement to re-send: its text (FORMAT included), URL settings, and whether it runs in the configured database. */
    record Resend(String statement, Map<String, String> settings, boolean inDatabase) {
    }

    private final ClickHouseConfig config;
    private final HttpClient http;

    ClickHouseErrorText(ClickHouseConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    }

    /** The server's error text for {@code resend}, or a note saying why it could not be had. */
    String fetch(Resend resend) {
        Map<String, String> params = new TreeMap<>(resend.settings());
        if (resend.inDatabase()) {
            params.put("database", config.database());
        }
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String credentials = Base64.getEncoder().encodeToString((config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url() + "/?" + query))
                .timeout(config.socketTimeout())
                .header("Authorization", "Basic " + credentials)
                .POST(HttpRequest.BodyPublishers.ofString(resend.statement(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 200) {
                return "(the error text could not be read: the statement succeeded when sent again)";
            }
            String body = response.body().strip();
            return body.length() <= MAX_TEXT ? body : body.substring(0, MAX_TEXT) + "...";
        } catch (java.io.IOException e) {
            return "(the error text could not be read: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(the error text could not be read: interrupted)";
        }
    }
}
