package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy/compose} read the way Docker Compose reads it: {@code .env} for interpolation and as
 * the {@code env_file}, {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${NAME:?message}} in
 * every string of docker-compose.yml, anchors and merge keys resolved, and the shell's variables
 * ({@code shell}) before {@code .env}. Only what the stack uses is modelled.
 */
record ComposeProject(Path dir, Map<String, String> dotEnv, Map<String, Service> services) {
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\\?)([^}]*))?}");

    /** One volume of a service: a named volume, or a bind mount of a path relative to the compose dir. */
    record Volume(String source, String target, boolean named) {
    }

    /** A service's {@code build}: the context directory and the Dockerfile in it. */
    record Build(Path context, Path dockerfile) {
    }

    /** A service, interpolated; {@code environment} is the container's: env_file, then environment. */
    record Service(String name, String image, Optional<Build> build, List<String> command, Map<String, String> environment,
                   List<Volume> volumes, Map<String, String> dependsOn, List<String> healthcheck, Optional<String> memoryLimit) {
    }

    /** deploy/compose/.env. */
    static Map<String, String> dotEnv(Path dir) throws IOException {
        return envFile(dir.resolve(".env"));
    }

    /** An env file as compose reads it: NAME=value lines, # comments, no quoting. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not NAME=value: " + line);
            }
            if (env.put(line.substring(0, eq), line.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " sets " + line.substring(0, eq) + " a second time");
            }
        }
        return env;
    }

    /** Loads {@code dir}/docker-compose.yml with {@code shell} as the variables set in the shell that runs compose. */
    static ComposeProject load(Path dir, Map<String, String> shell) throws IOException {
        Map<String, String> dotEnv = dotEnv(dir);
        Map<String, String> variables = new LinkedHashMap<>(dotEnv);
        variables.putAll(shell);
        JsonNode root = interpolate(DeploymentFilesTest.yaml(dir.resolve("docker-compose.yml")).get(0), variables);
        Map<String, Service> services = new LinkedHashMap<>();
        root.get("services").properties().forEach(e -> services.put(e.getKey(), service(dir, e.getKey(), e.getValue())));
        return new ComposeProject(dir, dotEnv, services);
    }

    static String interpolate(String text, Map<String, String> variables) {
        Matcher m = INTERPOLATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(1) == null) { // $$ is a literal $
                m.appendReplacement(out, "\\$");
                continue;
            }
            String value = variables.get(m.group(1));
            boolean empty = value == null || value.isEmpty();
            if (empty && ":?".equals(m.group(2))) {
                throw new IllegalArgumentException("compose refuses to start: " + m.group(1) + ": " + m.group(3));
            }
            String replacement = empty && ":-".equals(m.group(2)) ? m.group(3) : value == null ? "" : value;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static JsonNode interpolate(JsonNode node, Map<String, String> variables) {
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText(), variables));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), interpolate(e.getValue(), variables)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(interpolate(item, variables)));
            return copy;
        }
        return node;
    }

    private static Service service(Path dir, String name, JsonNode s) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (s.has("env_file")) {
            try {
                environment.putAll(envFile(dir.resolve(s.get("env_file").asText())));
            } catch (IOException e) {
                throw new IllegalStateException(name + ": env_file " + s.get("env_file").asText(), e);
            }
        }
        s.path("environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        List<Volume> volumes = new ArrayList<>();
        for (JsonNode v : s.path("volumes")) {
            String[] parts = v.asText().split(":");
            boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/");
            volumes.add(new Volume(parts[0], parts[1], named));
        }
        Map<String, String> dependsOn = new LinkedHashMap<>();
        JsonNode depends = s.path("depends_on");
        if (depends.isArray()) {
            depends.forEach(d -> dependsOn.put(d.asText(), "service_started"));
        } else {
            depends.properties().forEach(e -> dependsOn.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
        }
        JsonNode memory = s.path("deploy").path("resources").path("limits").path("memory");
        Optional<Build> build = Optional.empty();
        if (s.has("build")) {
            Path context = dir.resolve(s.get("build").path("context").asText(".")).normalize();
            build = Optional.of(new Build(context, context.resolve(s.get("build").path("dockerfile").asText("Dockerfile")).normalize()));
        }
        return new Service(name, s.path("image").asText(), build, strings(s.path("command")), Map.copyOf(environment), List.copyOf(volumes),
                Map.copyOf(dependsOn), strings(s.path("healthcheck").path("test")), memory.isMissingNode() ? Optional.empty() : Optional.of(memory.asText()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return List.copyOf(out);
    }

    /** The image's repository without tag: {@code apache/kafka:4.1.2} is {@code apache/kafka}. */
    static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    /** The services in an order that starts every one after those it depends on. */
    List<Service> startOrder() {
        List<Service> ordered = new ArrayList<>();
        Set<String> started = new HashSet<>();
        while (ordered.size() < services.size()) {
            int before = ordered.size();
            for (Service s : services.values()) {
                if (!started.contains(s.name()) && started.containsAll(s.dependsOn().keySet())) {
                    ordered.add(s);
                    started.add(s.name());
                }
            }
            if (ordered.size() == before) {
                throw new IllegalStateException("depends_on has a cycle or names a missing service");
            }
        }
        return ordered;
    }
}
