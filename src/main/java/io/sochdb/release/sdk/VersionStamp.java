package io.sochdb.release.sdk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the release version into the files that declare one, so that {@code sochdb.__version__} and pip agree
 * and a pyproject.toml in the sdist rebuilds the same version. {@code __core_version__} gets the upstream engine's
 * version the same way: the SDK bumps it by hand at release, and only the release knows which binaries it bundles.
 */
public final class VersionStamp {

    public static final String VERSION = "__version__";
    public static final String CORE_VERSION = "__core_version__";
    private static final Pattern DUNDER_VERSION = assignment(VERSION);
    private static final Pattern DUNDER_CORE_VERSION = assignment(CORE_VERSION);
    private static final Pattern TABLE_HEADER = Pattern.compile("(?m)^\\s*\\[");
    private static final Pattern PROJECT_HEADER = Pattern.compile("(?m)^\\s*\\[project\\]\\s*(#.*)?$");
    private static final Pattern PROJECT_VERSION = Pattern.compile("(?m)^(\\s*version\\s*=\\s*)([\"'])[^\"'\\r\\n]*\\2");

    private VersionStamp() {
    }

    public static String python(String source, String version) {
        return stamp(DUNDER_VERSION, source, version);
    }

    /** Stamps both: {@code __version__} with the release version, {@code __core_version__} with the upstream one. */
    public static String python(String source, String version, String coreVersion) {
        String stamped = python(source, version);
        return coreVersion == null ? stamped : stamp(DUNDER_CORE_VERSION, stamped, coreVersion);
    }

    /** Whether a module assigns {@code field} (one of {@link #VERSION}, {@link #CORE_VERSION}) a string literal. */
    public static boolean declares(String source, String field) {
        return (CORE_VERSION.equals(field) ? DUNDER_CORE_VERSION : DUNDER_VERSION).matcher(source).find();
    }

    private static Pattern assignment(String field) {
        return Pattern.compile("(?m)^(" + field + "\\s*(?::\\s*str\\s*)?=\\s*)([\"'])[^\"'\\r\\n]*\\2");
    }

    private static String stamp(Pattern pattern, String source, String value) {
        Matcher m = pattern.matcher(source);
        return m.find() ? m.replaceFirst(Matcher.quoteReplacement(m.group(1) + m.group(2) + value + m.group(2))) : source;
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
