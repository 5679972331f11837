package io.sochdb.release.sdk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the release version into the files that declare one, so that {@code sochdb.__version__} and pip agree
 * and a pyproject.toml in the sdist rebuilds the same version.
 */
public final class VersionStamp {

    private static final Pattern DUNDER_VERSION =
            Pattern.compile("(?m)^(__version__\\s*(?::\\s*str\\s*)?=\\s*)([\"'])[^\"'\\r\\n]*\\2");
    private static final Pattern TABLE_HEADER = Pattern.compile("(?m)^\\s*\\[");
    private static final Pattern PROJECT_HEADER = Pattern.compile("(?m)^\\s*\\[project\\]\\s*(#.*)?$");
    private static final Pattern PROJECT_VERSION = Pattern.compile("(?m)^(\\s*version\\s*=\\s*)([\"'])[^\"'\\r\\n]*\\2");

    private VersionStamp() {
    }

    public static String python(String source, String version) {
        Matcher m = DUNDER_VERSION.matcher(source);
        return m.find() ? m.replaceFirst(Matcher.quoteReplacement(m.group(1) + m.group(2) + version + m.group(2))) : source;
    }

    /** Replaces {@code version = "..."} inside the [project] table only; a dynamic version is left to the backend. */
    public static String pyproject(String toml, String version) {
        Matcher header = PROJECT_HEADER.matcher(toml);
        if (!header.find()) {
            return toml;
        }
        int start = header.end();
        Matcher next = TABLE_HEADER.matcher(toml);
        int end = next.find(start) ? next.start() : toml.length();
        Matcher m = PROJECT_VERSION.matcher(toml).region(start, end);
        if (!m.find()) {
            return toml;
        }
        return toml.substring(0, m.start()) + m.group(1) + m.group(2) + version + m.group(2) + toml.substring(m.end());
    }
}
