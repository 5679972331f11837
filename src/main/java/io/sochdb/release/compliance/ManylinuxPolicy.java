package io.sochdb.release.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The manylinux policies as data (resource {@code compliance/manylinux-policy.json}): per policy and architecture,
 * the libraries a wheel may need from the system and the highest symbol versions of the libraries the policy
 * constrains. GLIBC itself is bounded by the tag.
 */
public final class ManylinuxPolicy {

    public static final String RESOURCE = "/compliance/manylinux-policy.json";
    /** The symbol version prefixes a policy bounds; versions of other libraries are the DT_NEEDED check's business. */
    static final List<String> CONSTRAINED = List.of("GLIBC", "GLIBCXX", "CXXABI", "GCC");

    /** @param maxVersions highest numeric version per prefix other than GLIBC; {@code named} the other versions allowed */
    public record Policy(String name, DottedVersion glibc, Set<String> libraries, Map<String, DottedVersion> maxVersions,
            Set<String> named) {
    }

    private final Map<String, List<Policy>> byArch;
    private final Map<String, Set<String>> loaders;

    private ManylinuxPolicy(Map<String, List<Policy>> byArch, Map<String, Set<String>> loaders) {
        this.byArch = byArch;
        this.loaders = loaders;
    }

    public static ManylinuxPolicy load() {
        try (InputStream in = ManylinuxPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static ManylinuxPolicy parse(JsonNode root) {
        Map<String, List<Policy>> byArch = new HashMap<>();
        for (JsonNode policy : root.path("policies")) {
            String name = policy.path("name").asText();
            String[] parts = name.split("_");
            DottedVersion glibc = DottedVersion.of(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            Set<String> libraries = Set.copyOf(strings(policy.path("libraries")));
            policy.path("limits").fields().forEachRemaining(arch -> {
                Map<String, DottedVersion> max = new HashMap<>();
                for (String prefix : CONSTRAINED) {
                    if (arch.getValue().has(prefix)) {
                        max.put(prefix, DottedVersion.parse(arch.getValue().path(prefix).asText()));
                    }
                }
                byArch.computeIfAbsent(arch.getKey(), k -> new ArrayList<>()).add(new Policy(name, glibc, libraries,
                        Map.copyOf(max), Set.copyOf(strings(arch.getValue().path("named")))));
            });
        }
        byArch.values().forEach(list -> list.sort(Comparator.comparing(Policy::glibc)));
        Map<String, Set<String>> loaders = new HashMap<>();
        root.path("loaders").fields().forEachRemaining(e -> loaders.put(e.getKey(), Set.copyOf(strings(e.getValue()))));
        return new ManylinuxPolicy(Map.copyOf(byArch), Map.copyOf(loaders));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The policies known for an architecture, oldest glibc first; empty for an architecture without data. */
    public List<Policy> policies(String arch) {
        return byArch.getOrDefault(arch, List.of());
    }

    /** The newest policy at or below {@code glibc}: a tag between two policies gets the older one's limits. */
    public Optional<Policy> governing(String arch, DottedVersion glibc) {
        Policy found = null;
        for (Policy p : policies(arch)) {
            if (p.glibc().compareTo(glibc) <= 0) {
                found = p;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The dynamic loader of the architecture, which libraries may name in DT_NEEDED. */
    public Set<String> loaders(String arch) {
        return loaders.getOrDefault(arch, Set.of());
    }
}
