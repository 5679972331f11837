package io.sochdb.release.install;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the install proof runs.
 *
 * @param python       the interpreter to use: a name looked up on PATH, or a path
 * @param pythons      the Python versions every wheel must install on
 * @param attempts     tries against the index for cells whose wheel is not found yet (CDN lag); local files get one
 * @param retryWait    wait between those tries
 * @param timeout      longest a single pip or python process may run
 * @param parallelism  pip processes at once
 * @param indexUrl     the simple index pip resolves from after publishing ({@code PYPI_URL/simple/})
 */
public record InstallSettings(Mode mode, String python, List<String> pythons, int attempts, Duration retryWait,
        Duration timeout, int parallelism, String indexUrl, String binaryPackage) {

    /** {@code auto} runs when a python3 with pip is there, {@code required} fails the run when none is. */
    public enum Mode {
        AUTO, REQUIRED, OFF;

        public static Mode parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "", "auto" -> AUTO;
                case "required", "true", "on" -> REQUIRED;
                case "off", "false" -> OFF;
                default -> throw new IllegalArgumentException("VERIFY_INSTALL must be auto, required or off, not \""
                        + value + "\"");
            };
        }
    }

    public InstallSettings {
        attempts = Math.max(1, attempts);
        parallelism = Math.max(1, parallelism);
        pythons = List.copyOf(pythons);
    }

    public static List<String> pythonList(String commaSeparated) {
        List<String> versions = Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        for (String version : versions) {
            if (!version.matches("3\\.\\d{1,2}")) {
                throw new IllegalArgumentException("VERIFY_INSTALL_PYTHONS holds \"" + version
                        + "\"; give versions like 3.9,3.10");
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("VERIFY_INSTALL_PYTHONS is empty; give versions like 3.9,3.10");
        }
        return versions;
    }

    /** {@code PYPI_URL} plus {@code /simple/}. */
    public static String simpleIndexOf(String pypiUrl) {
        String base = pypiUrl.endsWith("/") ? pypiUrl.substring(0, pypiUrl.length() - 1) : pypiUrl;
        return base + "/simple/";
    }
}
