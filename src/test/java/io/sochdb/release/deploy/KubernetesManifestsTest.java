package io.sochdb.release.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** deploy/kubernetes parses, hangs together, and speaks the same configuration names as the application. */
class KubernetesManifestsTest {

    private static final Path FOLDER = Path.of("deploy/kubernetes");
    private static final Map<String, Map<String, Object>> BY_KIND = new LinkedHashMap<>();
    private static final Set<String> FILES = new TreeSet<>();
    private static String properties;

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                FILES.add(file.getFileName().toString());
                for (Object document : new Load(LoadSettings.builder().build())
                        .loadAllFromString(Files.readString(file, StandardCharsets.UTF_8))) {
                    Map<String, Object> resource = map(document);
                    assertThat(resource).as(file + " has apiVersion and kind").containsKeys("apiVersion", "kind");
                    BY_KIND.put((String) resource.get("kind"), resource);
                }
            }
        }
        properties = Files.readString(Path.of("src/main/resources/application.properties"), StandardCharsets.UTF_8);
    }

    @Test
    void theKustomizationAppliesEveryManifestButTheSecretExample() {
        List<Object> resources = list(BY_KIND.get("Kustomization").get("resources"));
        Set<String> expected = new TreeSet<>(FILES);
        expected.removeAll(Set.of("kustomization.yaml", "secret.example.yaml"));
        assertThat(resources).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(BY_KIND).containsKeys("Deployment", "Service", "ConfigMap", "ServiceAccount", "Role", "RoleBinding",
                "Secret", "PodDisruptionBudget");
    }

    @Test
    void theDeploymentRunsTwoLockedDownReplicasWithHealthProbes() {
        Map<String, Object> pod = map(map(spec("Deployment").get("template")).get("spec"));
        assertThat(spec("Deployment").get("replicas")).isEqualTo(2);
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(map(pod.get("securityContext")).get("runAsNonRoot")).isEqualTo(true);
        assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(map(container.get("resources"))).containsKeys("requests", "limits");

        Map<String, Object> ports = new LinkedHashMap<>();
        list(container.get("ports")).forEach(p -> ports.put((String) map(p).get("name"), map(p).get("containerPort")));
        Map<String, Object> config = map(BY_KIND.get("ConfigMap").get("data"));
        assertThat(ports.get("management")).hasToString((String) config.get("MANAGEMENT_PORT"));
        assertThat(ports.get("http")).hasToString((String) config.get("SERVER_PORT"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertThat(get.get("port")).as(probe).isEqualTo("management");
            assertThat((String) get.get("path")).as(probe).startsWith("/observe/health/");
        }
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path")).isEqualTo("/observe/health/ready");

        // Everything written lands on a mounted volume: the root filesystem is read-only.
        Set<String> volumes = new TreeSet<>();
        list(pod.get("volumes")).forEach(v -> volumes.add((String) map(v).get("name")));
        List<String> mounts = new ArrayList<>();
        list(container.get("volumeMounts")).forEach(m -> {
            assertThat(volumes).contains((String) map(m).get("name"));
            mounts.add((String) map(m).get("mountPath"));
        });
        for (String dir : List.of("DIST_DIR", "STATE_DIR", "CACHE_DIR")) {
            assertThat(mounts).as(dir).anyMatch(mount -> ((String) config.get(dir)).startsWith(mount + "/"));
        }
        assertThat(pod.get("serviceAccountName")).isEqualTo(name("ServiceAccount"));
        assertThat(((Number) pod.get("terminationGracePeriodSeconds")).intValue())
                .isGreaterThan(Integer.parseInt((String) config.get("SHUTDOWN_GRACE_SECONDS")));
    }

    @Test
    void everyVariableTheManifestsSetIsAConfigurationNameOfTheApplication() {
        Set<String> names = new TreeSet<>(map(BY_KIND.get("ConfigMap").get("data")).keySet());
        Map<String, Object> container = map(list(map(map(spec("Deployment").get("template")).get("spec"))
                .get("containers")).get(0));
        Set<String> secretKeys = map(BY_KIND.get("Secret").get("stringData")).keySet();
        for (Object entry : list(container.get("env"))) {
            Map<String, Object> env = map(entry);
            names.add((String) env.get("name"));
            Object from = env.get("valueFrom");
            if (from != null && map(from).containsKey("secretKeyRef")) {
                Map<String, Object> ref = map(map(from).get("secretKeyRef"));
                assertThat(ref.get("name")).isEqualTo(name("Secret"));
                assertThat(secretKeys).contains((String) ref.get("key"));
            }
        }
        names.remove("JAVA_TOOL_OPTIONS");
        Set<String> known = new TreeSet<>();
        Matcher env = Pattern.compile("\\{\\{env:([A-Z0-9_]+)").matcher(properties);
        while (env.find()) {
            known.add(env.group(1));
        }
        assertThat(known).containsAll(names);
        assertThat(map(BY_KIND.get("ConfigMap").get("data")).get("CLUSTER_SERVICE")).isEqualTo("kubernetes");
        assertThat((String) map(BY_KIND.get("ConfigMap").get("data")).get("STATE_DB_URL")).startsWith("jdbc:postgresql://");
    }

    @Test
    void theServiceAccountMayHoldLeasesAndTheServiceReachesThePods() {
        Map<String, Object> leases = list(BY_KIND.get("Role").get("rules")).stream().map(KubernetesManifestsTest::map)
                .filter(r -> list(r.get("resources")).contains("leases")).findFirst().orElseThrow();
        assertThat(list(leases.get("apiGroups"))).containsExactly("coordination.k8s.io");
        assertThat(list(leases.get("verbs"))).contains("get", "create", "update");
        Map<String, Object> binding = BY_KIND.get("RoleBinding");
        assertThat(map(binding.get("roleRef")).get("name")).isEqualTo(name("Role"));
        assertThat(map(list(binding.get("subjects")).get(0)).get("name")).isEqualTo(name("ServiceAccount"));
        Map<String, Object> labels = map(map(map(spec("Deployment").get("template")).get("metadata")).get("labels"));
        assertThat(labels).containsAllEntriesOf(map(spec("Service").get("selector")));
        assertThat(list(spec("Service").get("ports"))).extracting(p -> map(p).get("targetPort"))
                .containsExactlyInAnyOrder("http", "management");
    }

    private static Map<String, Object> spec(String kind) {
        return map(BY_KIND.get(kind).get("spec"));
    }

    private static String name(String kind) {
        return (String) map(BY_KIND.get(kind).get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
