package io.sochdb.release.install.report;

import java.util.List;

/**
 * The install into a throwaway folder on this host, and what {@code import} then showed.
 *
 * @param state       {@code passed}, {@code failed}, {@code skipped}, or {@code not_proven}: installed and checked
 *                    without its dependencies, which could not be installed, so the import proves nothing
 * @param tag         the platform tag of the wheel that fits this host
 * @param version     {@code __version__} as imported, null when the SDK declares none
 * @param coreVersion {@code __core_version__} as imported, null when the SDK declares none
 * @param executables the bundled executables found with their exec bit
 * @param missingDependencies when not proven: the distributions that could not be installed
 */
public record SmokeResult(String state, String tag, String wheel, String version, String coreVersion,
        List<String> executables, List<String> missingDependencies, String detail) {

    public static final String NOT_PROVEN = "not_proven";

    public static SmokeResult skipped(String why) {
        return new SmokeResult("skipped", null, null, null, null, List.of(), List.of(), why);
    }

    public boolean notProven() {
        return state.equals(NOT_PROVEN);
    }

    public boolean failed() {
        return state.equals("failed");
    }
}
