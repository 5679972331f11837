package io.sochdb.release.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.sochdb.release.failure.InvalidInputException;

/**
 * Finds the SDK's top-level import packages the way its pyproject.toml tells its build backend to:
 * setuptools {@code packages} / {@code packages.find}, hatch {@code packages}, or setuptools' automatic discovery.
 */
final class PackageLayout {

    /** Folders setuptools' flat-layout discovery refuses to treat as packages. */
    private static final Set<String> NOT_PACKAGES = Set.of("tests", "test", "docs", "doc", "examples", "example",
            "benchmarks", "scripts", "tools", "build", "dist", "venv", "site-packages");

    private PackageLayout() {
    }

    /** Top-level package name to its folder, sorted by name. */
    static TreeMap<String, Path> topLevelPackages(Path root, JsonNode pyproject) {
        JsonNode setuptools = pyproject.path("tool").path("setuptools");
        JsonNode packages = setuptools.get("packages");
        JsonNode hatch = pyproject.path("tool").path("hatch").path("build").path("targets").path("wheel").get("packages");
        TreeMap<String, Path> found;
        if (packages != null && packages.isArray()) {
            found = listed(root, packages, setuptools.path("package-dir"));
        } else if (packages != null && packages.has("find")) {
            JsonNode find = packages.get("find");
            found = new TreeMap<>();
            for (String where : strings(find.get("where"), List.of("."))) {
                found.putAll(scan(root, SafePaths.inside(root, where, "[tool.setuptools.packages.find].where"),
                        strings(find.get("include"), List.of("*")), strings(find.get("exclude"), List.of()), false));
            }
        } else if (hatch != null && hatch.isArray()) {
            found = new TreeMap<>();
            for (JsonNode path : hatch) {
                Path dir = SafePaths.inside(root, path.asText(), "[tool.hatch.build.targets.wheel].packages");
                requirePackage(root, dir);
                found.put(dir.getFileName().toString(), dir);
            }
        } else {
            Path src = root.resolve("src");
            found = Files.isDirectory(src)
                    ? scan(root, src, List.of("*"), List.of(), false)
                    : scan(root, root, List.of("*"), List.of(), true);
        }
        if (found.isEmpty()) {
            throw new InvalidInputException("SDK source " + root + " holds no Python package (a folder with __init__.py) "
                    + "where its pyproject.toml says to look");
        }
        return found;
    }

    private static TreeMap<String, Path> listed(Path root, JsonNode packages, JsonNode packageDir) {
        TreeMap<String, Path> found = new TreeMap<>();
        for (JsonNode item : packages) {
            String name = item.asText();
            String top = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            String base = packageDir.has(top) ? null : packageDir.path("").asText(".");
            Path dir = packageDir.has(top)
                    ? SafePaths.inside(root, packageDir.get(top).asText(), "[tool.setuptools].package-dir")
                    : SafePaths.inside(root, base + "/" + top, "[tool.setuptools].packages");
            requirePackage(root, dir);
            found.put(top, dir);
        }
        return found;
    }

    private static TreeMap<String, Path> scan(Path root, Path where, List<String> include, List<String> exclude,
            boolean flatLayout) {
        if (!Files.isDirectory(where)) {
            throw new InvalidInputException("SDK source " + root + " has no folder " + root.relativize(where)
                    + ", where its pyproject.toml says the packages are");
        }
        TreeMap<String, Path> found = new TreeMap<>();
        try (Stream<Path> children = Files.list(where)) {
            for (Path dir : children.sorted().toList()) {
                String name = dir.getFileName().toString();
                boolean candidate = Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("__init__.py"))
                        && !name.startsWith(".") && !(flatLayout && NOT_PACKAGES.contains(name));
                if (candidate && matchesAny(name, include) && !matchesAny(name, exclude)) {
                    found.put(name, dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + where, e);
        }
        return found;
    }

    private static boolean matchesAny(String name, List<String> globs) {
        for (String glob : globs) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            if (matcher.matches(Path.of(name))) {
                return true;
            }
        }
        return false;
    }

    private static void requirePackage(Path root, Path dir) {
        if (!Files.isRegularFile(dir.resolve("__init__.py"))) {
            throw new InvalidInputException("SDK source " + root + ": pyproject.toml names package folder "
                    + root.relativize(dir) + ", which has no __init__.py");
        }
    }

    private static List<String> strings(JsonNode node, List<String> fallback) {
        if (node == null || !node.isArray()) {
            return fallback;
        }
        List<String> values = new ArrayList<>();
        node.forEach(n -> values.add(n.asText()));
        return values;
    }
}
