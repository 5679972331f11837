package io.sochdb.release.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.sochdb.release.failure.InvalidInputException;

/**
 * Renders core metadata (the wheel's METADATA, the sdist's PKG-INFO) from a pyproject {@code [project]} table,
 * following the PEP 621 mapping. The release version always wins over what pyproject.toml declares.
 */
public final class CoreMetadata {

    private static final Pattern EXTRA_RUNS = Pattern.compile("[-_.]+");

    private CoreMetadata() {
    }

    public static String metadataVersion(ProjectMetadata project) {
        return project.usesPep639() ? "2.4" : "2.1";
    }

    /** Directory inside .dist-info that holds license files: PEP 639 moved them under {@code licenses/}. */
    public static String licenseFolder(ProjectMetadata project) {
        return project.usesPep639() ? "licenses/" : "";
    }

    public static String render(ProjectMetadata project, Version version) {
        StringBuilder out = new StringBuilder(1024);
        field(out, "Metadata-Version", metadataVersion(project));
        field(out, "Name", project.name().value());
        field(out, "Version", version.canonical());
        if (project.summary() != null) {
            field(out, "Summary", project.summary());
        }
        if (!project.keywords().isEmpty()) {
            field(out, "Keywords", String.join(",", project.keywords()));
        }
        people(out, "Author", project.authors());
        people(out, "Maintainer", project.maintainers());
        if (project.licenseExpression() != null) {
            field(out, "License-Expression", project.licenseExpression());
        } else if (project.licenseText() != null) {
            multiline(out, "License", project.licenseText());
        }
        if (project.usesPep639()) {
            for (String file : project.licenseFiles()) {
                field(out, "License-File", file);
            }
        }
        for (String classifier : project.classifiers()) {
            field(out, "Classifier", classifier);
        }
        if (project.requiresPython() != null) {
            field(out, "Requires-Python", project.requiresPython());
        }
        for (String dependency : project.dependencies()) {
            field(out, "Requires-Dist", dependency);
        }
        for (Map.Entry<String, List<String>> extra : project.optionalDependencies().entrySet()) {
            String name = normalizeExtra(extra.getKey());
            field(out, "Provides-Extra", name);
            for (String dependency : extra.getValue()) {
                field(out, "Requires-Dist", withExtraMarker(dependency, name));
            }
        }
        for (Map.Entry<String, String> url : project.urls().entrySet()) {
            field(out, "Project-URL", url.getKey() + ", " + url.getValue());
        }
        if (project.readme() != null) {
            field(out, "Description-Content-Type", project.readme().contentType());
            out.append('\n').append(project.readme().text());
            if (!project.readme().text().endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** PEP 685: extras compare and are written in their normal form. */
    static String normalizeExtra(String extra) {
        return EXTRA_RUNS.matcher(extra).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    static String withExtraMarker(String requirement, String extra) {
        int semicolon = requirement.indexOf(';');
        String marker = "extra == \"" + extra + "\"";
        if (semicolon < 0) {
            return requirement.strip() + "; " + marker;
        }
        // Parenthesise the existing marker: "a or b and extra" would bind the extra to b only.
        return requirement.substring(0, semicolon).strip() + "; (" + requirement.substring(semicolon + 1).strip()
                + ") and " + marker;
    }

    private static void people(StringBuilder out, String field, List<Person> people) {
        List<String> names = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (Person person : people) {
            if (person.email() == null) {
                names.add(person.name());
            } else if (person.name() == null) {
                emails.add(person.email());
            } else {
                emails.add(quoteName(person.name()) + " <" + person.email() + ">");
            }
        }
        if (!names.isEmpty()) {
            field(out, field, String.join(", ", names));
        }
        if (!emails.isEmpty()) {
            field(out, field + "-email", emails.stream().collect(Collectors.joining(", ")));
        }
    }

    /** An address list needs quotes around display names that hold specials such as commas. */
    private static String quoteName(String name) {
        if (name.chars().anyMatch(c -> ",;:<>@()[]\\\"".indexOf(c) >= 0)) {
            return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return name;
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new InvalidInputException("pyproject.toml: the value for core metadata field " + name
                    + " must be a single line, got: " + abbreviate(value));
        }
        out.append(name).append(": ").append(value).append('\n');
    }

    private static void multiline(StringBuilder out, String name, String value) {
        String[] lines = value.strip().split("\\R", -1);
        out.append(name).append(": ").append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            // RFC 822 folding: a continuation line starts with white space; 8 spaces is what setuptools writes.
            out.append("        ").append(lines[i]).append('\n');
        }
    }

    private static String abbreviate(String value) {
        String flat = value.replaceAll("\\R", "\\\\n");
        return flat.length() > 60 ? flat.substring(0, 60) + "..." : flat;
    }
}
