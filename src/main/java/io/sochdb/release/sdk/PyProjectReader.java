package io.sochdb.release.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.packaging.Person;
import io.sochdb.release.packaging.ProjectMetadata;
import io.sochdb.release.packaging.ProjectName;
import io.sochdb.release.packaging.Readme;

/** Reads and checks the {@code [project]} table of an SDK's pyproject.toml (PEP 621). */
final class PyProjectReader {

    /** Fields we can fill in ourselves when declared dynamic; any other dynamic field would need the build backend. */
    private static final Set<String> COMPUTABLE_DYNAMIC = Set.of("version");
    private static final TomlMapper TOML = new TomlMapper();

    private PyProjectReader() {
    }

    static JsonNode parse(Path pyproject) {
        if (!Files.isRegularFile(pyproject)) {
            throw new InvalidInputException("SDK source " + pyproject.getParent() + " has no pyproject.toml");
        }
        try {
            return TOML.readTree(pyproject.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(pyproject + " is not valid TOML: " + firstLine(e.getMessage()), e);
        }
    }

    static ProjectMetadata read(Path root, JsonNode document) {
        JsonNode project = document.get("project");
        if (project == null || !project.isObject()) {
            throw new InvalidInputException(root.resolve("pyproject.toml") + " has no [project] table");
        }
        Fields fields = new Fields(project);
        List<String> dynamic = fields.strings("dynamic");
        for (String name : dynamic) {
            if (!COMPUTABLE_DYNAMIC.contains(name)) {
                throw new InvalidInputException("pyproject.toml: [project].dynamic lists \"" + name
                        + "\", which only a build backend can compute; declare it statically");
            }
        }
        String version = fields.text("version");
        if (version == null && !dynamic.contains("version")) {
            throw new InvalidInputException("pyproject.toml: [project].version is missing and not listed in dynamic");
        }
        String name = fields.text("name");
        if (name == null) {
            throw new InvalidInputException("pyproject.toml: [project].name is missing");
        }
        License license = license(root, project.get("license"));
        boolean filesDeclared = project.has("license-files");
        List<String> licenseFiles = filesDeclared
                ? LicenseFiles.matching(root, fields.strings("license-files"))
                : LicenseFiles.defaults(root, license.file());
        return new ProjectMetadata(
                new ProjectName(name),
                version,
                fields.text("description"),
                readme(root, project.get("readme")),
                fields.text("requires-python"),
                license.text(),
                license.expression(),
                licenseFiles,
                filesDeclared,
                people(fields, "authors"),
                people(fields, "maintainers"),
                fields.strings("keywords"),
                fields.strings("classifiers"),
                fields.stringMap("urls"),
                fields.strings("dependencies"),
                optionalDependencies(project.get("optional-dependencies")),
                entryPoints(fields, project));
    }

    private record License(String text, String expression, String file) {
    }

    private static License license(Path root, JsonNode node) {
        if (node == null) {
            return new License(null, null, null);
        }
        if (node.isTextual()) {
            return new License(null, node.asText(), null);
        }
        if (node.has("text")) {
            return new License(node.get("text").asText(), null, null);
        }
        if (node.has("file")) {
            String file = node.get("file").asText();
            return new License(readText(root, file, "[project].license.file"), null, file);
        }
        throw new InvalidInputException("pyproject.toml: [project].license must be a string or a table with text or file");
    }

    private static Readme readme(Path root, JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String file = node.asText();
            return new Readme(readText(root, file, "[project].readme"), contentTypeOf(file));
        }
        String contentType = node.path("content-type").asText(null);
        if (node.has("file")) {
            String file = node.get("file").asText();
            return new Readme(readText(root, file, "[project].readme.file"),
                    contentType != null ? contentType : contentTypeOf(file));
        }
        if (node.has("text")) {
            if (contentType == null) {
                throw new InvalidInputException("pyproject.toml: [project].readme.text needs a content-type");
            }
            return new Readme(node.get("text").asText(), contentType);
        }
        throw new InvalidInputException("pyproject.toml: [project].readme must be a path or a table with file or text");
    }

    private static String contentTypeOf(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".md")) {
            return "text/markdown";
        }
        if (lower.endsWith(".rst")) {
            return "text/x-rst";
        }
        if (lower.endsWith(".txt") || !lower.contains(".")) {
            return "text/plain";
        }
        throw new InvalidInputException("pyproject.toml: cannot tell the content type of readme " + file
                + "; give it as readme = {file = \"" + file + "\", content-type = \"text/markdown\"}");
    }

    private static String readText(Path root, String relative, String field) {
        Path file = SafePaths.file(root, relative, field);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("pyproject.toml: " + field + " names " + relative
                    + ", which cannot be read from " + root + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static List<Person> people(Fields fields, String key) {
        List<Person> people = new ArrayList<>();
        JsonNode list = fields.node(key);
        if (list == null) {
            return people;
        }
        for (JsonNode item : list) {
            String name = item.path("name").asText(null);
            String email = item.path("email").asText(null);
            if (name == null && email == null) {
                throw new InvalidInputException("pyproject.toml: every entry of [project]." + key + " needs a name or an email");
            }
            people.add(new Person(name, email));
        }
        return people;
    }

    private static Map<String, List<String>> optionalDependencies(JsonNode node) {
        Map<String, List<String>> extras = new LinkedHashMap<>();
        if (node == null) {
            return extras;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> extra = it.next();
            List<String> deps = new ArrayList<>();
            extra.getValue().forEach(dep -> deps.add(dep.asText()));
            extras.put(extra.getKey(), deps);
        }
        return extras;
    }

    private static Map<String, Map<String, String>> entryPoints(Fields fields, JsonNode project) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        putGroup(groups, "console_scripts", fields.stringMap("scripts"));
        putGroup(groups, "gui_scripts", fields.stringMap("gui-scripts"));
        JsonNode other = project.get("entry-points");
        if (other != null) {
            Iterator<Map.Entry<String, JsonNode>> it = other.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> group = it.next();
                if (group.getKey().equals("console_scripts") || group.getKey().equals("gui_scripts")) {
                    throw new InvalidInputException("pyproject.toml: use [project.scripts] / [project.gui-scripts], not [project.entry-points."
                            + group.getKey() + "] (PEP 621)");
                }
                putGroup(groups, group.getKey(), new Fields(other).stringMap(group.getKey()));
            }
        }
        return groups;
    }

    private static void putGroup(Map<String, Map<String, String>> groups, String name, Map<String, String> entries) {
        if (!entries.isEmpty()) {
            groups.put(name, entries);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Typed access to a TOML table that names the offending key when its value has the wrong type. */
    private record Fields(JsonNode table) {

        JsonNode node(String key) {
            JsonNode node = table.get(key);
            return node == null || node.isNull() ? null : node;
        }

        String text(String key) {
            JsonNode node = node(key);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                throw new InvalidInputException("pyproject.toml: [project]." + key + " must be a string");
            }
            return node.asText();
        }

        List<String> strings(String key) {
            List<String> values = new ArrayList<>();
            JsonNode node = node(key);
            if (node == null) {
                return values;
            }
            if (!node.isArray()) {
                throw new InvalidInputException("pyproject.toml: [project]." + key + " must be an array of strings");
            }
            node.forEach(item -> values.add(item.asText()));
            return values;
        }

        Map<String, String> stringMap(String key) {
            Map<String, String> values = new LinkedHashMap<>();
            JsonNode node = node(key);
            if (node == null) {
                return values;
            }
            if (!node.isObject()) {
                throw new InvalidInputException("pyproject.toml: [project]." + key + " must be a table");
            }
            node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return values;
        }
    }
}
