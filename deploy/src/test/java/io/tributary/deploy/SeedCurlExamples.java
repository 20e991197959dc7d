package io.tributary.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The curl commands of a seed document, exactly as written there, with only the host swapped for
 * a local node. Seeds live in {@code ../shared/seeds/} beside the repository.
 */
final class SeedCurlExamples {
    static final String SEED_HOST = "https://api.europe-west2.gcp.tinybird.co";
    private static final Pattern CURL = Pattern.compile("(?ms)^curl .*?(?=\\n```|\\n\\n)");

    private SeedCurlExamples() {
    }

    /** The seed file whose name starts with {@code prefix}, if ../shared is there. */
    static Optional<Path> seed(String prefix) throws IOException {
        for (Path dir : List.of(Path.of("..", "..", "shared", "seeds"), Path.of("..", "shared", "seeds"))) {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    Optional<Path> match = files.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst();
                    if (match.isPresent()) {
                        return match;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Every curl command of the seed (multi-line commands joined as the shell would read them). */
    static List<String> curls(Path seed) throws IOException {
        String text = Files.readString(seed);
        List<String> out = new ArrayList<>();
        Matcher m = CURL.matcher(text);
        while (m.find()) {
            out.add(m.group().strip());
        }
        return out;
    }

    /**
     * Every curl command of a seed that writes commands one option per line, continued with a
     * trailing backslash (seeds 000 and 001), joined as the shell reads them.
     */
    static List<String> backslashContinuedCurls(Path seed) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(seed)) {
            if (current == null && line.startsWith("curl ")) {
                current = new StringBuilder();
            }
            if (current != null) {
                String stripped = line.stripTrailing();
                boolean continued = stripped.endsWith("\\");
                current.append(continued ? stripped.substring(0, stripped.length() - 1) : stripped).append(' ');
                if (!continued) {
                    out.add(current.toString().strip());
                    current = null;
                }
            }
        }
        return out;
    }

    /** Runs one command with bash, the seed's host replaced by {@code baseUrl}, {@code $TB_ADMIN_TOKEN} set. */
    static CommandResult run(String curl, String baseUrl, String token) throws IOException, InterruptedException {
        return run(curl, Map.of(SEED_HOST, baseUrl), token);
    }

    /** Runs one command with bash after the literal {@code replacements}, {@code $TB_ADMIN_TOKEN} set to {@code token}. */
    static CommandResult run(String curl, Map<String, String> replacements, String token) throws IOException, InterruptedException {
        String swapped = curl;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            swapped = swapped.replace(r.getKey(), r.getValue());
        }
        String command = swapped + " --silent --show-error --write-out '\\n%{http_code}'";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        builder.environment().put("TB_ADMIN_TOKEN", token);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        int newline = output.lastIndexOf('\n');
        return new CommandResult(command, Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, Math.max(newline, 0)));
    }

    record CommandResult(String command, int status, String body) {
    }
}
