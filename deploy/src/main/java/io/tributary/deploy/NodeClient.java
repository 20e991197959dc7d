package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.config.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What the commands that talk to a running node share ({@code tributary lag}, {@code tributary
 * token ...}, {@code tributary health ...}): the options {@code --url} (env TRIBUTARY_URL) and {@code --admin-token} (env
 * TRIBUTARY_ADMIN_TOKEN), one JSON exchange per call, and the exit codes: 0 done, 1 the node could
 * not be reached or refused, 2 no token given. They go over HTTP rather than to Kafka because the
 * embedded broker listens on the node's loopback only.
 */
final class NodeClient {
    static final String URL_ENV = "TRIBUTARY_URL";
    static final String DEFAULT_URL = "http://localhost:8080";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The node could not be reached, or answered something other than what the command expects. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }

    /** What a command does with the node once the options are read. */
    @FunctionalInterface
    interface Action {
        void run(NodeClient node) throws Failed;
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    private NodeClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.token = token;
    }

    /** Adds {@code --url} and {@code --admin-token} to {@code spec}; {@code tokenNeeds} says which scope the token must hold. */
    static CommandSpec withNodeOptions(CommandSpec spec, String tokenNeeds) {
        spec.addOption(OptionSpec.builder("--url").paramLabel("<url>").type(String.class)
                .description("Base URL of a running node [env " + URL_ENV + ", default " + DEFAULT_URL + "]").build());
        spec.addOption(OptionSpec.builder(Setting.ADMIN_TOKEN.flag()).paramLabel("<token>").type(String.class)
                .description("A token with scope " + tokenNeeds + " [env " + Setting.ADMIN_TOKEN.envVar() + "]").build());
        return spec;
    }

    /**
     * Reads the options of {@code parsed} and runs {@code action} against the node; returns the
     * exit code, having printed why to {@code err} when it is not 0. {@code command} prefixes the
     * messages ("tributary lag").
     */
    static int run(String command, String tokenNeeds, ParseResult parsed, Map<String, String> env, PrintWriter err, Action action) {
        String url = parsed.matchedOptionValue("--url", env.getOrDefault(URL_ENV, DEFAULT_URL));
        String token = parsed.matchedOptionValue(Setting.ADMIN_TOKEN.flag(), env.getOrDefault(Setting.ADMIN_TOKEN.envVar(), ""));
        if (token.isBlank()) {
            err.println(command + ": set " + Setting.ADMIN_TOKEN.flag() + " or " + Setting.ADMIN_TOKEN.envVar()
                    + " (a token with scope " + tokenNeeds + ")");
            return 2;
        }
        try {
            action.run(new NodeClient(url, token));
            return 0;
        } catch (Failed e) {
            err.println(command + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Sends {@code method path} with {@code body} as JSON (null: none) and returns the answer's JSON
     * (a missing node for an empty answer); any status but {@code expectedStatus} fails with the
     * node's error.
     */
    JsonNode call(String method, String path, Object body, int expectedStatus) throws Failed {
        String target = baseUrl + path;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new Failed(method + " " + target + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
        } catch (IOException | IllegalArgumentException e) {
            throw new Failed("cannot " + (method.equals("GET") ? "read " : "send " + method + " to ") + target + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while waiting for " + target);
        }
    }

    /** {@code rows} (the first one the header) as left-aligned columns two spaces apart, one line each. */
    static String table(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder text = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s", r.get(i))).append(i + 1 < r.size() ? "  " : "");
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /** For a path segment or query value: URLEncoder writes spaces as '+', which a path keeps literally. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON value as a table cell: "-" for absent or null. */
    static String cell(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
