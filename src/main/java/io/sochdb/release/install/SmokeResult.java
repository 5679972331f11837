package io.sochdb.release.install;

import java.util.List;

/**
 * The install into a throwaway venv on this host, and what {@code import} then showed.
 *
 * @param state       {@code passed}, {@code failed} or {@code skipped}
 * @param tag         the platform tag of the wheel that fits this host
 * @param version     {@code __version__} as imported, null when the SDK declares none
 * @param coreVersion {@code __core_version__} as imported, null when the SDK declares none
 * @param executables the bundled executables found with their exec bit
 */
public record SmokeResult(String state, String tag, String wheel, String version, String coreVersion,
        List<String> executables, String detail) {

    static SmokeResult skipped(String why) {
        return new SmokeResult("skipped", null, null, null, null, List.of(), why);
    }

    boolean failed() {
        return state.equals("failed");
    }
}
