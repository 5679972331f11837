package io.sochdb.release.packaging;

import java.util.List;
import java.util.Map;

/**
 * The {@code [project]} table of a pyproject.toml (PEP 621), already checked. Collections are never null.
 *
 * @param declaredVersion the version written in pyproject.toml, or null when it is dynamic
 * @param licenseText     legacy {@code License} text ({@code license = {text = ...}} or the file's content)
 * @param licenseExpression PEP 639 SPDX expression ({@code license = "Apache-2.0"}), or null
 * @param licenseFiles    paths relative to the project root, in a stable order
 * @param licenseFilesDeclared true when they come from PEP 639 {@code license-files}, not from the default globs
 * @param entryPoints     group (console_scripts, gui_scripts, others) to name to object reference
 */
public record ProjectMetadata(
        ProjectName name,
        String declaredVersion,
        String summary,
        Readme readme,
        String requiresPython,
        String licenseText,
        String licenseExpression,
        List<String> licenseFiles,
        boolean licenseFilesDeclared,
        List<Person> authors,
        List<Person> maintainers,
        List<String> keywords,
        List<String> classifiers,
        Map<String, String> urls,
        List<String> dependencies,
        Map<String, List<String>> optionalDependencies,
        Map<String, Map<String, String>> entryPoints) {

    /** The Python versions the classifiers name (e.g. "3.9, 3.10"), else the requires-python specifier. */
    public String pythonSupport() {
        java.util.List<String> versions = classifiers.stream()
                .map(c -> java.util.regex.Pattern.compile("Programming Language :: Python :: (3\\.\\d+)").matcher(c))
                .filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).distinct().toList();
        if (!versions.isEmpty()) {
            return String.join(", ", versions);
        }
        return requiresPython == null ? "any Python 3" : "Python " + requiresPython;
    }

    /** PEP 639 fields need Metadata-Version 2.4; without them 2.1 keeps older tools (Debian's twine) able to read us. */
    public boolean usesPep639() {
        return licenseExpression != null || licenseFilesDeclared;
    }
}
