package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.platform.config.ConfigException;
import io.tributary.platform.config.Setting;
import io.tributary.platform.config.SettingValues;
import io.tributary.platform.config.StoreKind;
import io.tributary.platform.config.TributaryConfig;
import io.tributary.platform.http.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Issue 9: the compose stack ({@code deploy/compose}), the Kubernetes manifests ({@code deploy/k8s})
 * and the image ({@code deploy/Dockerfile}) name settings, commands, ports, paths and metrics of the
 * code. These checks read the files as data and compare them with the code, so renaming a setting, a
 * command, an ops route or a meter fails here rather than in somebody's deployment.
 */
class DeploymentFilesTest {
    /** Surefire runs in the module directory. */
    private static final Path COMPOSE = Path.of("compose");
    private static final Path K8S = Path.of("k8s");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final List<String> SOURCE_MODULES = List.of("schemas", "platform", "ingest-gateway", "stream-processors", "query-api", "deploy");
    private static final List<String> ROLES = List.of("gateway", "processors", "query");
    private static final String TRIBUTARY_IMAGE = "${IMAGE_TRIBUTARY}";

    private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\bTRIBUTARY_[A-Z0-9_]+\\b");
    /** Compose and nginx-template interpolation: ${NAME}, ${NAME:-default}, ${NAME:?message}. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?}");
    private static final Pattern METER_NAME_LITERAL = Pattern.compile("\"((?:tributary|http\\.server)\\.[a-z0-9.]+)\"");
    private static final Pattern PROMETHEUS_NAME = Pattern.compile("\\b(?:tributary|http_server)_[a-z0-9_]+\\b");
    /** What Micrometer's Prometheus registry appends to a meter name: the base unit, then the series kind. */
    private static final String PROMETHEUS_SUFFIXES = "(?:_seconds|_records|_rows|_bytes)?(?:_total|_count|_sum|_max|_bucket)?";
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- names ----

    @Test
    void everyTributaryVariableTheFilesNameIsOneTheLauncherReads() throws IOException {
        Set<String> known = launcherVariables();
        List<String> unknown = new ArrayList<>();
        for (Path file : deploymentFiles()) {
            Matcher m = LAUNCHER_VARIABLE.matcher(Files.readString(file));
            while (m.find()) {
                if (!known.contains(m.group())) {
                    unknown.add(file + ": " + m.group());
                }
            }
        }
        assertThat(unknown).as("TRIBUTARY_* names that are no Setting.envVar(), TRIBUTARY_URL or a variable of the tributary script").isEmpty();
    }

    @Test
    void theEnvFileIsTheOneSourceOfEveryComposeVariable() throws IOException {
        Map<String, String> env = dotEnv();
        Set<String> referenced = new TreeSet<>();
        referenced.addAll(interpolated(COMPOSE.resolve("docker-compose.yml")));
        referenced.addAll(interpolated(COMPOSE.resolve("nginx/tributary.conf.template")));
        assertThat(referenced).as("variables of docker-compose.yml and the nginx template").isNotEmpty();
        assertThat(env.keySet()).as(".env defines every variable the compose files use").containsAll(referenced);

        // The nginx image fills the template from its own environment: compose must hand each one over.
        JsonNode proxyEnvironment = composeServices().get("proxy").get("environment");
        assertThat(names(proxyEnvironment)).containsExactlyInAnyOrderElementsOf(interpolated(COMPOSE.resolve("nginx/tributary.conf.template")));
    }

    @Test
    void theEnvFileListsEverySettingOfASplitRoleDeployment() throws IOException {
        // What a compose deployment cannot use: the config file (the .env is the config), the embedded
        // broker's port and DuckDB's file, checkpoints and memory (split roles run external Kafka and ClickHouse).
        Set<Setting> notForCompose = java.util.EnumSet.of(Setting.CONFIG, Setting.KAFKA_PORT, Setting.DUCKDB_PATH, Setting.DUCKDB_CHECKPOINT_MB,
                Setting.DUCKDB_MEMORY_MB);
        Map<String, String> env = dotEnv();
        List<String> missing = java.util.Arrays.stream(Setting.values()).filter(s -> !notForCompose.contains(s)).map(Setting::envVar)
                .filter(name -> !env.containsKey(name)).toList();
        assertThat(missing).as("settings a new release added without a line in deploy/compose/.env").isEmpty();
    }

    @Test
    void theEnvFileConfiguresSplitRoles() throws IOException {
        Map<String, String> env = dotEnv();
        // The secrets compose insists on (${VAR:?}) are empty in the file as shipped; give them values.
        Set<String> required = requiredByCompose();
        Map<String, String> filled = new LinkedHashMap<>(env);
        filled.replaceAll((name, value) -> value.isEmpty() && required.contains(name) ? "set-by-the-operator" : value);
        assertSplitRoleConfiguration(".env", filled);
        assertThat(required).as("several gateways and query APIs need one configured admin token, not one generated per process")
                .contains(Setting.ADMIN_TOKEN.envVar());
    }

    @Test
    void theKubernetesConfigMapAndSecretConfigureSplitRoles() throws IOException {
        Manifests k8s = Manifests.load();
        Map<String, String> settings = new LinkedHashMap<>(k8s.configMapData());
        settings.putAll(k8s.secretData());
        assertSplitRoleConfiguration("k8s ConfigMap + Secret", settings);
    }

    @Test
    void secretSettingsAreSetOnlyThroughTheKubernetesSecret() throws IOException {
        Manifests k8s = Manifests.load();
        Set<String> secretVariables = Arrays.stream(Setting.values()).filter(Setting::secret).map(Setting::envVar)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(secretVariables).as("Setting has secrets").isNotEmpty();
        assertThat(k8s.secretData().keySet()).as("the Secret holds every secret setting and nothing else").isEqualTo(secretVariables);
        assertThat(k8s.configMapData().keySet()).as("no secret setting in the ConfigMap").doesNotContainAnyElementsOf(secretVariables);
        for (JsonNode container : k8s.containers()) {
            for (JsonNode env : iterable(container.path("env"))) {
                String name = env.get("name").asText();
                if (secretVariables.contains(name)) {
                    assertThat(env.path("valueFrom").path("secretKeyRef").path("name").asText())
                            .as(name + " in container " + container.get("name") + " comes from the Secret, never a plain value")
                            .isEqualTo(k8s.secretName());
                }
            }
            assertThat(names(container.path("envFrom"), "configMapRef")).containsExactly(k8s.configMapName());
            assertThat(names(container.path("envFrom"), "secretRef")).containsExactly(k8s.secretName());
        }
    }

    // ---- commands ----

    @Test
    void composeRunsEveryRoleTwiceWithCommandsTheCliParses() throws IOException {
        Map<String, List<String>> byRole = composeServicesByRole();
        assertThat(byRole.keySet()).containsExactlyInAnyOrderElementsOf(ROLES);
        byRole.forEach((role, services) -> assertThat(services).as(role).hasSize(2));

        Map<String, String> env = dotEnv();
        JsonNode services = composeServices();
        Set<String> stateVolumes = new TreeSet<>();
        for (String service : byRole.get("processors")) {
            List<String> atDataDir = StreamSupport.stream(services.get(service).path("volumes").spliterator(), false).map(JsonNode::asText)
                    .filter(v -> v.endsWith(":" + env.get(Setting.DATA_DIR.envVar()))).toList();
            assertThat(atDataDir).as(service + " keeps its Kafka Streams state in a volume at TRIBUTARY_DATA_DIR").hasSize(1);
            stateVolumes.add(atDataDir.get(0));
        }
        assertThat(stateVolumes).as("one state volume per processors instance").hasSize(byRole.get("processors").size());
        for (String service : byRole.values().stream().flatMap(List::stream).toList()) {
            assertThat(services.get(service).get("env_file").asText()).isEqualTo(".env");
        }
    }

    @Test
    void kubernetesRunsEveryRoleOnceWithArgsTheCliParses() throws IOException {
        Manifests k8s = Manifests.load();
        Map<String, String> kindByRole = new TreeMap<>();
        for (JsonNode workload : k8s.workloads()) {
            kindByRole.put(role(args(container(workload).get("args"))), workload.get("kind").asText());
        }
        assertThat(kindByRole).isEqualTo(Map.of("gateway", "Deployment", "processors", "StatefulSet", "query", "Deployment"));
    }

    @Test
    void theImageRunsTheLauncherScriptWithACommandTheCliParses() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).contains("COPY tributary /opt/tributary/tributary").contains("ENV PATH=/opt/tributary:")
                .contains("ENTRYPOINT [\"tributary\"]");
        Matcher cmd = Pattern.compile("^CMD (\\[.*])$", Pattern.MULTILINE).matcher(dockerfile);
        assertThat(cmd.find()).isTrue();
        parse(args(JSON.readTree(cmd.group(1))));
        Matcher expose = Pattern.compile("^EXPOSE (\\d+)$", Pattern.MULTILINE).matcher(dockerfile);
        assertThat(expose.find()).isTrue();
        assertThat(expose.group(1)).isEqualTo(Setting.HTTP_PORT.defaultValue());
    }

    @Test
    void composeRunsTheKafkaVersionOfTheClients() throws IOException {
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(dotEnv().get("IMAGE_KAFKA")).isEqualTo("apache/kafka:" + version.group(1));
    }

    @Test
    void theTributaryCommandsInTheReadmesParse() throws IOException {
        // The last "tributary <word>" of a line: `kubectl -n tributary exec … -- tributary lag` runs `lag`.
        Pattern command = Pattern.compile(".*(?:^|\\s)tributary\\s+([a-z].*)$");
        List<String> parsed = new ArrayList<>();
        for (Path readme : List.of(COMPOSE.resolve("README.md"), K8S.resolve("README.md"))) {
            boolean inCode = false;
            for (String line : Files.readAllLines(readme)) {
                if (line.startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                Matcher m = command.matcher(line);
                if (inCode && m.find()) {
                    // The shell ends the command at a comment, pipe, redirect or separator.
                    String words = m.group(1).split("\\s#|\\||>|;|&&")[0].trim();
                    List<String> args = Arrays.stream(words.split("\\s+")).map(w -> w.replaceAll("^[\"']|[\"']$", "")).toList();
                    try {
                        parse(args);
                    } catch (CommandLine.ParameterException e) {
                        fail(readme + ": `tributary " + words + "` does not parse: " + e.getMessage());
                    }
                    parsed.add(words);
                }
            }
        }
        assertThat(parsed).as("the READMEs show tributary commands").isNotEmpty();
    }

    // ---- ports and paths ----

    @Test
    void composeProbesScrapesAndProxiesWhatTheServerServes() throws IOException {
        Map<String, String> env = dotEnv();
        String port = env.get(Setting.HTTP_PORT.envVar());
        Map<String, List<String>> byRole = composeServicesByRole();
        JsonNode services = composeServices();
        for (List<String> names : byRole.values()) {
            for (String service : names) {
                String check = String.join(" ", args(services.get(service).get("healthcheck").get("test")));
                assertThat(check).as(service + " health check").endsWith("http://localhost:${" + Setting.HTTP_PORT.envVar() + "}" + HttpServer.READY_PATH);
            }
        }

        JsonNode prometheus = yaml(COMPOSE.resolve("prometheus/prometheus.yml")).get(0);
        Map<String, JsonNode> jobs = new TreeMap<>();
        iterable(prometheus.get("scrape_configs")).forEach(job -> jobs.put(job.get("job_name").asText(), job));
        for (String role : ROLES) {
            JsonNode job = jobs.get("tributary-" + role);
            assertThat(job).as("a scrape job for the " + role + " role").isNotNull();
            assertThat(job.get("metrics_path").asText()).isEqualTo(HttpServer.METRICS_PATH);
            List<String> targets = new ArrayList<>();
            iterable(job.get("static_configs")).forEach(c -> iterable(c.get("targets")).forEach(t -> targets.add(t.asText())));
            assertThat(targets).as("every " + role + " service on TRIBUTARY_HTTP_PORT")
                    .containsExactlyInAnyOrderElementsOf(byRole.get(role).stream().map(s -> s + ":" + port).toList());
        }

        String nginx = Files.readString(COMPOSE.resolve("nginx/tributary.conf.template"));
        Map<String, List<String>> upstreams = new TreeMap<>();
        Matcher upstream = Pattern.compile("^upstream (\\w+) \\{(.*?)^}", Pattern.MULTILINE | Pattern.DOTALL).matcher(nginx);
        while (upstream.find()) {
            upstreams.put(upstream.group(1), Pattern.compile("server (\\S+?)[;\\s]").matcher(upstream.group(2)).results().map(r -> r.group(1)).toList());
        }
        for (String role : List.of("gateway", "query")) {
            assertThat(upstreams.get("tributary_" + role)).as("the proxy's " + role + " upstream")
                    .containsExactlyInAnyOrderElementsOf(byRole.get(role).stream().map(s -> s + ":${" + Setting.HTTP_PORT.envVar() + "}").toList());
        }
        assertThat(nginx).contains("client_max_body_size ${" + Setting.UPLOAD_MAX_BYTES.envVar() + "};")
                .contains("location = " + HttpServer.METRICS_PATH + " ");
        assertThat(Long.parseLong(env.get(Setting.UPLOAD_MAX_BYTES.envVar())))
                .as("the proxy's body limit lets every body Tributary itself accepts through")
                .isGreaterThanOrEqualTo(Long.parseLong(env.get(Setting.MAX_BODY_BYTES.envVar())));
    }

    /**
     * The proxy's exceptions to "GET to query, the rest to gateway", read by the nginx map evaluator;
     * SeparateRolesIT compares every route the real roles mount.
     */
    @Test
    void theProxySplitsByMethodWithTheTwoExceptions() throws IOException {
        ProxyRouting proxy = ProxyRouting.load();
        assertThat(proxy.upstream("GET", "/v0/pipes/customer_activity.json")).isEqualTo("tributary_query");
        assertThat(proxy.upstream("HEAD", "/v0/tokens")).isEqualTo("tributary_query");
        assertThat(proxy.upstream("POST", "/v0/events")).isEqualTo("tributary_gateway");
        assertThat(proxy.upstream("DELETE", "/v0/tokens/abc")).isEqualTo("tributary_gateway");
        assertThat(proxy.upstream("POST", "/customers/c-1/recalculate-ltv")).isEqualTo("tributary_query");
        assertThat(proxy.upstream("POST", "/customers")).isEqualTo("tributary_gateway");
        assertThat(proxy.upstream("GET", "/api/v1/customers")).isEqualTo("tributary_gateway");
        assertThat(proxy.upstream("GET", "/api/v1/customers/ext-1/health")).isEqualTo("tributary_query");
    }

    @Test
    void kubernetesProbesServicesAndScrapesUseTheServersPortAndPaths() throws IOException {
        Manifests k8s = Manifests.load();
        int port = Integer.parseInt(k8s.configMapData().get(Setting.HTTP_PORT.envVar()));
        for (JsonNode workload : k8s.workloads()) {
            String name = workload.path("metadata").path("name").asText();
            JsonNode container = container(workload);
            JsonNode http = iterable(container.get("ports")).stream().filter(p -> p.path("name").asText().equals("http")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no container port named http"));
            assertThat(http.get("containerPort").asInt()).as(name + " port http = TRIBUTARY_HTTP_PORT").isEqualTo(port);
            assertProbe(name + " readiness", container.get("readinessProbe"), HttpServer.READY_PATH);
            assertProbe(name + " liveness", container.get("livenessProbe"), HttpServer.HEALTH_PATH);
            if (container.has("startupProbe")) {
                assertProbe(name + " start-up", container.get("startupProbe"), HttpServer.HEALTH_PATH);
            }
            for (String kind : List.of("requests", "limits")) {
                assertThat(names(container.path("resources").path(kind))).as(name + " resources." + kind).contains("cpu", "memory");
            }
            JsonNode podLabels = workload.path("spec").path("template").path("metadata").path("labels");
            List<JsonNode> services = k8s.ofKind("Service").stream().filter(s -> selects(s.path("spec").path("selector"), podLabels)).toList();
            assertThat(services).as("a Service selects " + name).hasSize(1);
            assertThat(iterable(services.get(0).path("spec").path("ports")))
                    .anyMatch(p -> p.path("name").asText().equals("http") && p.path("targetPort").asText().equals("http"));
        }

        List<JsonNode> monitors = k8s.ofKind("ServiceMonitor");
        assertThat(monitors).hasSize(1);
        JsonNode monitor = monitors.get(0);
        assertThat(monitor.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(iterable(monitor.path("spec").path("endpoints")))
                .isNotEmpty()
                .allMatch(e -> e.path("path").asText().equals(HttpServer.METRICS_PATH) && e.path("port").asText().equals("http"));
        for (JsonNode service : k8s.ofKind("Service")) {
            assertThat(selects(monitor.path("spec").path("selector").path("matchLabels"), service.path("metadata").path("labels")))
                    .as("the ServiceMonitor selects Service " + service.path("metadata").path("name").asText()).isTrue();
        }
    }

    @Test
    void kubernetesScalesGatewayAndQueryByAutoscalerAndProcessorsUpToThePartitions() throws IOException {
        Manifests k8s = Manifests.load();
        Map<String, String> nameByRole = new TreeMap<>();
        for (JsonNode workload : k8s.workloads()) {
            nameByRole.put(role(args(container(workload).get("args"))), workload.path("metadata").path("name").asText());
        }
        List<String> autoscaled = k8s.ofKind("HorizontalPodAutoscaler").stream()
                .map(h -> h.path("spec").path("scaleTargetRef").path("kind").asText() + "/" + h.path("spec").path("scaleTargetRef").path("name").asText())
                .toList();
        assertThat(autoscaled).containsExactlyInAnyOrder("Deployment/" + nameByRole.get("gateway"), "Deployment/" + nameByRole.get("query"));

        JsonNode processors = k8s.workloads().stream().filter(w -> w.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        int partitions = Integer.parseInt(k8s.configMapData().get(Setting.PARTITIONS.envVar()));
        assertThat(processors.path("spec").path("replicas").asInt()).as("processors replicas <= TRIBUTARY_PARTITIONS").isBetween(1, partitions);
        String stateVolume = processors.path("spec").path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        assertThat(iterable(container(processors).path("volumeMounts")))
                .as("the processors' persistent volume is mounted at TRIBUTARY_DATA_DIR")
                .anyMatch(m -> m.path("name").asText().equals(stateVolume)
                        && m.path("mountPath").asText().equals(k8s.configMapData().get(Setting.DATA_DIR.envVar())));
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        List<String> listed = Manifests.resources();
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).toList());
        }
    }

    // ---- metrics ----

    @Test
    void theDashboardQueriesOnlyMetricsTheCodeRegisters() throws IOException {
        Set<String> meters = meterNamesInSources();
        assertThat(meters).as("meter names found in the sources").contains("tributary.consumer.lag", "tributary.sink.freshness");
        JsonNode dashboard = JSON.readTree(COMPOSE.resolve("grafana/dashboards/tributary.json").toFile());
        Set<String> queried = new TreeSet<>();
        dashboard.findValues("expr").forEach(expr -> PROMETHEUS_NAME.matcher(expr.asText()).results().forEach(r -> queried.add(r.group())));
        assertThat(queried).as("the dashboard shows consumer lag, sink freshness, ingest and query rates")
                .contains("tributary_consumer_lag_records", "tributary_sink_freshness_seconds", "tributary_ingest_rows_total",
                        "tributary_pipe_requests_seconds_count");
        List<String> unknown = queried.stream()
                .filter(name -> meters.stream().noneMatch(meter -> name.matches(Pattern.quote(meter.replace('.', '_')) + PROMETHEUS_SUFFIXES)))
                .toList();
        assertThat(unknown).as("dashboard metrics no Counter/Timer/Gauge of the code registers").isEmpty();
        assertThat(dashboard.findValues("uid").stream().map(JsonNode::asText))
                .as("panels use the provisioned data source").contains(provisionedDataSourceUid());
    }

    // ---- helpers ----

    /** Every TRIBUTARY_* variable the launcher reads: the settings, `tributary lag|token|health`'s --url, and the `tributary` script's own. */
    private static Set<String> launcherVariables() throws IOException {
        Set<String> names = Arrays.stream(Setting.values()).map(Setting::envVar).collect(Collectors.toCollection(TreeSet::new));
        names.add(NodeClient.URL_ENV);
        Pattern scriptVariable = Pattern.compile("\\$\\{(TRIBUTARY_[A-Z0-9_]+)");
        scriptVariable.matcher(Files.readString(Path.of("..", "tributary"))).results().forEach(r -> names.add(r.group(1)));
        return names;
    }

    private static List<Path> deploymentFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(DOCKERFILE));
        for (Path dir : List.of(COMPOSE, K8S)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        return files;
    }

    private static Map<String, String> dotEnv() throws IOException {
        return ComposeProject.dotEnv(COMPOSE);
    }

    /** Variables docker-compose.yml interpolates as ${NAME:?message}: compose stops when they are empty. */
    private static Set<String> requiredByCompose() throws IOException {
        return Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):\\?").matcher(Files.readString(COMPOSE.resolve("docker-compose.yml"))).results()
                .map(r -> r.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> interpolated(Path file) throws IOException {
        return INTERPOLATION.matcher(Files.readString(file)).results().map(r -> r.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * What TributaryNode refuses for a gateway, processors or query process alone (embedded broker,
     * embedded registry, DuckDB), and what TributaryConfig refuses for any; empty values only where
     * the default is empty, since the launcher takes an empty variable as the value.
     */
    private static void assertSplitRoleConfiguration(String where, Map<String, String> variables) {
        for (Setting s : Setting.values()) {
            String value = variables.get(s.envVar());
            if (value != null && value.isEmpty()) {
                assertThat(s.defaultValue()).as(where + ": " + s.envVar() + " is empty, which only means the default when that is empty").isEmpty();
            }
        }
        TributaryConfig config;
        try {
            config = TributaryConfig.from(SettingValues.resolve(Map.of(), variables));
        } catch (ConfigException e) {
            throw new AssertionError(where + ": " + e.getMessage(), e);
        }
        assertThat(config.embeddedKafka()).as(where + ": external Kafka").isFalse();
        assertThat(config.embeddedRegistry()).as(where + ": external schema registry").isFalse();
        assertThat(config.store()).as(where + ": store").isEqualTo(StoreKind.CLICKHOUSE);
    }

    private static JsonNode composeServices() throws IOException {
        return yaml(COMPOSE.resolve("docker-compose.yml")).get(0).get("services");
    }

    /** The services running the tributary image, by the role their command starts. */
    private static Map<String, List<String>> composeServicesByRole() throws IOException {
        Map<String, List<String>> byRole = new TreeMap<>();
        JsonNode services = composeServices();
        for (String name : names(services)) {
            JsonNode service = services.get(name);
            if (service.path("image").asText().equals(TRIBUTARY_IMAGE)) {
                byRole.computeIfAbsent(role(args(service.get("command"))), r -> new ArrayList<>()).add(name);
            }
        }
        return byRole;
    }

    /** Parses {@code args} as `tributary <args>` with the real command line; fails on unknown commands and options. */
    private static ParseResult parse(List<String> args) {
        return TributaryCli.commandLine().parseArgs(args.toArray(String[]::new));
    }

    private static String role(List<String> args) {
        ParseResult parsed = parse(args);
        assertThat(parsed.hasSubcommand()).as("a command in " + args).isTrue();
        String command = parsed.subcommand().commandSpec().name();
        assertThat(ROLES).as("a role command").contains(command);
        return command;
    }

    private static List<String> args(JsonNode array) {
        assertThat(array).as("a list of arguments").isNotNull();
        assertThat(array.isArray()).as("arguments as a list, not a shell string: " + array).isTrue();
        return iterable(array).stream().map(JsonNode::asText).toList();
    }

    private static JsonNode container(JsonNode workload) {
        List<JsonNode> containers = iterable(workload.path("spec").path("template").path("spec").path("containers"));
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static void assertProbe(String what, JsonNode probe, String path) {
        assertThat(probe).as(what + " probe").isNotNull();
        assertThat(probe.path("httpGet").path("path").asText()).as(what + " path").isEqualTo(path);
        assertThat(probe.path("httpGet").path("port").asText()).as(what + " port").isEqualTo("http");
    }

    /** Whether every label of {@code selector} is on {@code labels} with the same value. */
    private static boolean selects(JsonNode selector, JsonNode labels) {
        return selector.size() > 0 && names(selector).stream().allMatch(k -> labels.path(k).asText().equals(selector.get(k).asText()));
    }

    private static String provisionedDataSourceUid() throws IOException {
        return yaml(COMPOSE.resolve("grafana/provisioning/datasources/prometheus.yml")).get(0).get("datasources").get(0).get("uid").asText();
    }

    /** Meter names as written in the main sources ("tributary.sink.freshness"), whatever builder registers them. */
    private static Set<String> meterNamesInSources() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String module : SOURCE_MODULES) {
            try (Stream<Path> walk = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                    METER_NAME_LITERAL.matcher(Files.readString(file)).results().forEach(r -> names.add(r.group(1)));
                }
            }
        }
        return names;
    }

    /** Every document of a YAML file, anchors and merge keys resolved as compose and kubectl resolve them. */
    static List<JsonNode> yaml(Path file) throws IOException {
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : parser.loadAll(Files.readString(file))) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }

    static List<JsonNode> iterable(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The {@code name} of each {@code field} reference of an envFrom list. */
    private static List<String> names(JsonNode envFrom, String field) {
        return iterable(envFrom).stream().filter(e -> e.has(field)).map(e -> e.get(field).path("name").asText()).toList();
    }

    /** The documents of deploy/k8s that kustomization.yaml lists. */
    record Manifests(List<JsonNode> documents) {
        static List<String> resources() throws IOException {
            return iterable(yaml(K8S.resolve("kustomization.yaml")).get(0).get("resources")).stream().map(JsonNode::asText).toList();
        }

        static Manifests load() throws IOException {
            List<JsonNode> documents = new ArrayList<>();
            for (String resource : resources()) {
                documents.addAll(yaml(K8S.resolve(resource)));
            }
            return new Manifests(List.copyOf(documents));
        }

        List<JsonNode> ofKind(String kind) {
            return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        }

        private JsonNode only(String kind) {
            List<JsonNode> found = ofKind(kind);
            assertThat(found).as("one " + kind).hasSize(1);
            return found.get(0);
        }

        List<JsonNode> workloads() {
            List<JsonNode> workloads = new ArrayList<>(ofKind("Deployment"));
            workloads.addAll(ofKind("StatefulSet"));
            return workloads;
        }

        List<JsonNode> containers() {
            return workloads().stream().map(DeploymentFilesTest::container).toList();
        }

        String configMapName() {
            return only("ConfigMap").path("metadata").path("name").asText();
        }

        String secretName() {
            return only("Secret").path("metadata").path("name").asText();
        }

        Map<String, String> configMapData() {
            return text(only("ConfigMap").get("data"));
        }

        Map<String, String> secretData() {
            JsonNode secret = only("Secret");
            assertThat(secret.has("data")).as("the Secret's values are stringData (plain text until applied)").isFalse();
            return text(secret.get("stringData"));
        }

        private static Map<String, String> text(JsonNode object) {
            Map<String, String> values = new LinkedHashMap<>();
            object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        }
    }
}
