package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.tributary.platform.testing.TestFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The Kubernetes manifests ({@code deploy/k8s}) against the typed Kubernetes API model (fabric8), with no
 * cluster: a misspelt or misplaced field ({@code readinesProbe}, {@code resource:} for {@code resources:},
 * a field one level off) or a value of the wrong type fails here instead of at {@code kubectl apply}.
 *
 * <p>Each document is read by its apiVersion and kind into its model class with scalar coercion off (a
 * quoted number for an integer field, or an unquoted one for a string, is refused, as the API server
 * refuses it). Then nothing may have landed in an {@code additionalProperties} map anywhere in the object
 * tree (where fabric8 keeps fields the API does not know), and the object written back as JSON must equal
 * the document, so nothing was dropped or changed on the way. Documents are counted from 1, empty ones
 * included, as they stand in the file.
 */
class KubernetesManifestsTest {
    /** Surefire runs in the module directory. */
    private static final Path K8S = Path.of("k8s");

    /** The kinds a manifest may have, by apiVersion/kind. Another kind fails the check until it is added here. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Stream
            .of(Namespace.class, ConfigMap.class, Secret.class, Service.class, ServiceAccount.class, PersistentVolumeClaim.class,
                    Deployment.class, StatefulSet.class, DaemonSet.class, HorizontalPodAutoscaler.class, PodDisruptionBudget.class,
                    ServiceMonitor.class, PodMonitor.class)
            .collect(Collectors.toMap(c -> HasMetadata.getApiVersion(c) + "/" + HasMetadata.getKind(c), Function.identity()));

    /** Kinds without a namespace, which kustomize's {@code namespace:} leaves without one. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    /** Strict as the API server: no string for a number or boolean, no number or boolean for a string, no 1.0 for an int. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    // ---- the manifests ----

    @Test
    void everyDocumentTheKustomizationListsReadsIntoItsKubernetesType() throws IOException {
        List<String> resources = DeploymentFilesTest.Manifests.resources();
        assertThat(resources).as("kustomization.yaml resources").isNotEmpty();
        List<String> problems = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (String resource : resources) {
            Path file = K8S.resolve(resource);
            assertThat(file).as("a resource kustomization.yaml lists").isRegularFile();
            List<HasMetadata> documents = check(resource, Files.readString(file), problems);
            assertThat(documents).as(resource + " has documents").isNotEmpty();
            documents.forEach(d -> checked.add(kindAndName(d)));
        }
        assertThat(problems).as("fields the Kubernetes API does not know, or values of the wrong type, in deploy/k8s").isEmpty();
        assertThat(checked).as("what the check read (kind and name)")
                .contains("Deployment tributary-gateway", "StatefulSet tributary-processors", "ServiceMonitor tributary");
    }

    // ---- the check itself can fail ----

    /** A manifest the check accepts; each case below breaks one thing in it. */
    private static final String VALID = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              TRIBUTARY_PARTITIONS: "6"
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              replicas: 2
              selector:
                matchLabels: {app: x}
              template:
                metadata:
                  labels: {app: x}
                spec:
                  containers:
                    - name: x
                      image: x
                      ports:
                        - name: http
                          containerPort: 8080
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                      resources:
                        requests: {cpu: 500m, memory: 1Gi}
                        limits: {cpu: 2, memory: 1Gi}
            """;

    @Test
    void theManifestTheCasesBreakPasses() {
        List<String> problems = new ArrayList<>();
        assertThat(check("in-memory.yaml", VALID, problems)).hasSize(2);
        assertThat(problems).isEmpty();
    }

    /** A case: the text {@code valid} of {@link #VALID} replaced by {@code broken} makes a problem starting {@code expected}. */
    static Stream<Arguments> brokenManifests() {
        String deployment = "in-memory.yaml, document 2 (Deployment broken): ";
        String container = deployment + "spec.template.spec.containers[0].";
        String port = "            - name: http\n";
        return Stream.of(
                Arguments.of("misspelt field", "readinessProbe:", "readinesProbe:", container + "readinesProbe: unknown field"),
                Arguments.of("resource for resources", "resources:", "resource:", container + "resource: unknown field"),
                Arguments.of("field one level too high", port + "              containerPort", port + "          containerPort",
                        container + "containerPort: unknown field"),
                Arguments.of("field inside the next one", "  replicas: 2\n  selector:\n", "  selector:\n    replicas: 2\n",
                        deployment + "spec.selector.replicas: unknown field"),
                Arguments.of("quoted number", "replicas: 2", "replicas: \"2\"", deployment + "spec.replicas: cannot be read"),
                Arguments.of("unquoted ConfigMap value", "TRIBUTARY_PARTITIONS: \"6\"", "TRIBUTARY_PARTITIONS: 6",
                        "in-memory.yaml, document 1 (ConfigMap settings): data.TRIBUTARY_PARTITIONS: cannot be read"),
                Arguments.of("unknown kind", "kind: Deployment", "kind: Deploymnet",
                        "in-memory.yaml, document 2 (Deploymnet broken): unknown kind apps/v1 Deploymnet"),
                Arguments.of("duplicate key", "          image: x", "          image: x\n          image: y",
                        "in-memory.yaml: not valid YAML: while constructing a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenManifests")
    void aBrokenManifestFailsTheCheckNamingFileDocumentKindAndFieldPath(String what, String valid, String broken, String expected) {
        assertThat(VALID).as("the case's text is in the valid manifest").contains(valid);
        List<String> problems = new ArrayList<>();
        check("in-memory.yaml", VALID.replace(valid, broken), problems);
        assertThat(problems).as(what).anyMatch(p -> p.startsWith(expected));
        if (what.equals("duplicate key")) {
            assertThat(problems).anyMatch(p -> p.contains("found duplicate key image"));
        }
    }

    // ---- kustomize ----

    @Test
    void kubectlKustomizeRendersEveryResourceIntoTheKustomizationsNamespace() throws IOException, InterruptedException {
        Optional<Path> kubectl = TestFiles.onPath(System.getenv("PATH"), "kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is missing from the PATH: `kubectl kustomize k8s` not run");
        JsonNode kustomization = kustomization();
        String namespace = kustomization.path("namespace").asText(null);
        assertThat(namespace).as("kustomization.yaml sets a namespace for everything").isNotBlank();

        String rendered = run(kubectl.get().toString(), "kustomize", K8S.toString());
        List<String> problems = new ArrayList<>();
        List<HasMetadata> resources = check("kubectl kustomize k8s", rendered, problems);
        assertThat(problems).as("what kubectl kustomize renders, read into the Kubernetes types").isEmpty();

        Set<String> expected = new TreeSet<>();
        for (String resource : DeploymentFilesTest.Manifests.resources()) {
            check(resource, Files.readString(K8S.resolve(resource)), new ArrayList<>()).forEach(d -> expected.add(kindAndName(d)));
        }
        Set<String> renderedResources = resources.stream().map(KubernetesManifestsTest::kindAndName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(renderedResources).as("kubectl kustomize renders every resource of the listed files").isEqualTo(expected);
        for (HasMetadata resource : resources) {
            String where = "kubectl kustomize k8s: " + kindAndName(resource) + ": metadata.namespace";
            if (CLUSTER_SCOPED.contains(resource.getKind())) {
                assertThat(resource.getMetadata().getNamespace()).as(where + " (cluster-scoped)").isNull();
            } else {
                assertThat(resource.getMetadata().getNamespace()).as(where).isEqualTo(namespace);
            }
        }
        assertThat(resources).as("the namespace the kustomization sets is one of its resources")
                .anyMatch(d -> d instanceof Namespace n && n.getMetadata().getName().equals(namespace));

        // images: each entry's name is replaced in every container by newName:newTag
        List<String> images = new ArrayList<>();
        for (JsonNode containers : JSON.valueToTree(resources).findValues("containers")) {
            containers.forEach(container -> images.add(container.path("image").asText()));
        }
        assertThat(images).as("container images kustomize renders").isNotEmpty();
        for (JsonNode image : kustomization.path("images")) {
            String name = image.path("name").asText();
            String replaced = image.path("newName").asText(name) + (image.has("newTag") ? ":" + image.path("newTag").asText() : "");
            assertThat(images).as("images: " + name + " -> " + replaced).doesNotContain(name).contains(replaced);
        }
    }

    // ---- the check ----

    /**
     * Reads every document of {@code text} into its Kubernetes type and adds to {@code problems} what does not
     * fit, each as {@code <file>, document <n> (<kind> <name>): <field path>: <what>}. Returns the typed
     * documents that could be read.
     */
    private static List<HasMetadata> check(String file, String text, List<String> problems) {
        List<Object> documents;
        try {
            documents = yamlDocuments(text);
        } catch (YAMLException e) {
            problems.add(file + ": not valid YAML: " + e.getMessage());
            return List.of();
        }
        List<HasMetadata> typed = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                continue; // an empty document: kubectl skips it too
            }
            JsonNode document = JSON.valueToTree(documents.get(i));
            if (!document.isObject()) {
                problems.add(file + ", document " + (i + 1) + ": not a mapping but " + document);
                continue;
            }
            String apiVersion = document.path("apiVersion").asText();
            String kind = document.path("kind").asText();
            String where = file + ", document " + (i + 1) + " (" + kind + " " + document.path("metadata").path("name").asText("(no name)") + "): ";
            Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
            if (type == null) {
                problems.add(where + "unknown kind " + apiVersion + " " + kind + " (not one of " + new TreeSet<>(KINDS.keySet())
                        + "; add its fabric8 model class to KubernetesManifestsTest.KINDS)");
                continue;
            }
            HasMetadata resource;
            try {
                resource = JSON.treeToValue(document, type);
            } catch (JsonMappingException e) {
                problems.add(where + path(e) + ": cannot be read as " + type.getSimpleName() + ": " + e.getOriginalMessage());
                continue;
            } catch (IOException e) {
                problems.add(where + "cannot be read as " + type.getSimpleName() + ": " + e.getMessage());
                continue;
            }
            typed.add(resource);
            unknownFields(resource, "", Collections.newSetFromMap(new IdentityHashMap<>()), where, problems);
            compare(document, JSON.valueToTree(resource), "", where + "written back as " + type.getSimpleName() + ", ", problems);
        }
        return typed;
    }

    /** Every document, null for an empty one. Duplicate keys are refused, as the API server refuses them. */
    private static List<Object> yamlDocuments(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Object> documents = new ArrayList<>();
        new Yaml(new SafeConstructor(options)).loadAll(text).forEach(documents::add);
        return documents;
    }

    /** What fabric8 keeps in an {@code additionalProperties} map: fields the type at that place does not have. */
    private static void unknownFields(Object value, String path, Set<Object> seen, String where, List<String> problems) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, child(path, String.valueOf(key)), seen, where, problems));
        } else if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + index++ + "]", seen, where, problems);
            }
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.") && seen.add(value)) {
            for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    Object fieldValue = read(field, value);
                    if (field.getName().equals("additionalProperties")) {
                        ((Map<?, ?>) fieldValue).keySet().forEach(key -> problems.add(where + child(path, String.valueOf(key))
                                + ": unknown field (" + value.getClass().getSimpleName() + " has none of that name)"));
                    } else if (!field.isAnnotationPresent(JsonIgnore.class)) {
                        JsonProperty property = field.getAnnotation(JsonProperty.class);
                        String name = property != null && !property.value().isEmpty() ? property.value() : field.getName();
                        unknownFields(fieldValue, child(path, name), seen, where, problems);
                    }
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new AssertionError("cannot read " + field + " of " + owner.getClass().getName(), e);
        }
    }

    /**
     * The document against the typed object written back: what is missing was dropped, what differs was
     * changed. A number and a string of the same text are equal (quantities such as {@code cpu: 2} and
     * int-or-string ports are written back either way; elsewhere a string for a number fails reading
     * already), and an empty list or map equals an absent one (fabric8 leaves empty ones out). What the
     * model adds is its default, not the manifest's (apiVersion and kind of a volumeClaimTemplates entry).
     */
    private static void compare(JsonNode original, JsonNode written, String path, String where, List<String> problems) {
        if (original.isObject() && written.isObject()) {
            original.properties().forEach(e -> {
                JsonNode back = written.get(e.getKey());
                if (back != null) {
                    compare(e.getValue(), back, child(path, e.getKey()), where, problems);
                } else if (!isEmpty(e.getValue())) {
                    problems.add(where + child(path, e.getKey()) + ": dropped (no such field here)");
                }
            });
        } else if (original.isArray() && written.isArray() && original.size() == written.size()) {
            for (int i = 0; i < original.size(); i++) {
                compare(original.get(i), written.get(i), path + "[" + i + "]", where, problems);
            }
        } else if (!sameValue(original, written)) {
            problems.add(where + (path.isEmpty() ? "(document)" : path) + ": " + original + " became " + written);
        }
    }

    private static boolean sameValue(JsonNode original, JsonNode written) {
        if (original.isNumber() && written.isNumber()) {
            return original.decimalValue().compareTo(written.decimalValue()) == 0;
        }
        if (original.isValueNode() && written.isValueNode() && (original.isNumber() || written.isNumber())) {
            return original.asText().equals(written.asText());
        }
        return original.equals(written);
    }

    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || (node.isContainerNode() && node.isEmpty());
    }

    /** {@code a.b}, or {@code a["b.c"]} for a key that is no plain name (labels, annotations). */
    private static String child(String path, String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            return path + "[\"" + name + "\"]";
        }
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The field path of a Jackson reading error: {@code spec.template.spec.containers[0].ports}. */
    private static String path(JsonMappingException e) {
        String path = "";
        for (JsonMappingException.Reference reference : e.getPath()) {
            path = reference.getFieldName() != null ? child(path, reference.getFieldName()) : path + "[" + reference.getIndex() + "]";
        }
        return path.isEmpty() ? "(document)" : path;
    }

    private static String kindAndName(HasMetadata resource) {
        return resource.getKind() + " " + resource.getMetadata().getName();
    }

    private static JsonNode kustomization() throws IOException {
        return JSON.valueToTree(yamlDocuments(Files.readString(K8S.resolve("kustomization.yaml"))).get(0));
    }

    // ---- kubectl ----

    /** Runs a command in the module directory; its standard output, or a failure naming the exit code and standard error. */
    private static String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kubectl-kustomize", ".out");
        Path err = Files.createTempFile("kubectl-kustomize", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish within 2 minutes");
            }
            assertThat(process.exitValue()).as(String.join(" ", command) + " exit code; stderr:\n" + Files.readString(err)).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
