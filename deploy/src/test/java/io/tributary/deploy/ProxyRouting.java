package io.tributary.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code map} blocks of deploy/compose's nginx template, evaluated as nginx evaluates them, so a
 * test can ask which upstream a request goes to and compare it with the role that mounts the route.
 * nginx's rules: the source string is built from the request's variables; exact keys win, then the
 * regular expressions ({@code ~}, {@code ~*} without case) in file order, then {@code default}; a
 * value may name another map's variable.
 */
record ProxyRouting(Map<String, NginxMap> maps) {
    static final Path TEMPLATE = Path.of("compose", "nginx", "tributary.conf.template");
    /** The variable whose value is the upstream of {@code proxy_pass http://$…}. */
    static final String UPSTREAM_VARIABLE = "tributary_upstream";

    private static final Pattern MAP_BLOCK = Pattern.compile("^map\\s+(\"[^\"]*\"|\\S+)\\s+\\$(\\w+)\\s*\\{(.*?)^}", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern ENTRY = Pattern.compile("^\\s*(\"[^\"]*\"|\\S+)\\s+(\\S+)\\s*;", Pattern.MULTILINE);

    /** One map: its source (e.g. {@code "$request_method $uri"}), exact keys, regular expressions in order, default. */
    record NginxMap(String source, Map<String, String> exact, List<Map.Entry<Pattern, String>> regexes, String defaultValue) {
    }

    static ProxyRouting load() throws IOException {
        String text = Files.readString(TEMPLATE);
        if (!text.contains("proxy_pass http://$" + UPSTREAM_VARIABLE + ";")) {
            throw new IllegalStateException(TEMPLATE + " no longer proxies to $" + UPSTREAM_VARIABLE);
        }
        Map<String, NginxMap> maps = new LinkedHashMap<>();
        Matcher block = MAP_BLOCK.matcher(text);
        while (block.find()) {
            Map<String, String> exact = new LinkedHashMap<>();
            List<Map.Entry<Pattern, String>> regexes = new ArrayList<>();
            String defaultValue = "";
            Matcher entry = ENTRY.matcher(block.group(3));
            while (entry.find()) {
                String key = unquote(entry.group(1));
                String value = entry.group(2);
                if (key.equals("default")) {
                    defaultValue = value;
                } else if (key.startsWith("~*")) {
                    regexes.add(Map.entry(Pattern.compile(key.substring(2), Pattern.CASE_INSENSITIVE), value));
                } else if (key.startsWith("~")) {
                    regexes.add(Map.entry(Pattern.compile(key.substring(1)), value));
                } else {
                    exact.put(key, value);
                }
            }
            maps.put(block.group(2), new NginxMap(unquote(block.group(1)), exact, regexes, defaultValue));
        }
        return new ProxyRouting(Map.copyOf(maps));
    }

    /** The upstream (e.g. {@code tributary_gateway}) a request with this method and path goes to. */
    String upstream(String method, String uri) {
        return evaluate(UPSTREAM_VARIABLE, Map.of("request_method", method, "uri", uri));
    }

    private String evaluate(String variable, Map<String, String> request) {
        NginxMap map = maps.get(variable);
        if (map == null) {
            return request.getOrDefault(variable, "");
        }
        String source = substitute(map.source(), request);
        String value = map.exact().get(source);
        if (value == null) {
            value = map.regexes().stream().filter(r -> r.getKey().matcher(source).find()).map(Map.Entry::getValue).findFirst()
                    .orElse(map.defaultValue());
        }
        return value.startsWith("$") ? evaluate(value.substring(1), request) : value;
    }

    private String substitute(String source, Map<String, String> request) {
        Matcher variable = Pattern.compile("\\$(\\w+)").matcher(source);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            variable.appendReplacement(out, Matcher.quoteReplacement(evaluate(variable.group(1), request)));
        }
        return variable.appendTail(out).toString();
    }

    private static String unquote(String token) {
        return token.startsWith("\"") && token.endsWith("\"") ? token.substring(1, token.length() - 1) : token;
    }
}
