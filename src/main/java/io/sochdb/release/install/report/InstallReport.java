package io.sochdb.release.install.report;

import java.util.List;

/**
 * What the install-proof step found, for summary.json and summary.md.
 *
 * @param state     {@code passed}, {@code failed}, {@code skipped}, or {@code partial}: nothing failed, but something
 *                  could not be proven (see {@code notProven}), e.g. the import when the dependencies are out of reach
 * @param source    where pip resolved from: the index URL, or the local files of a dry run
 * @param python    the interpreter and pip used; null when none was found
 * @param matrix    null when skipped
 * @param smoke     null when skipped
 * @param proven    what was proven, one plain sentence each
 * @param notProven what could not be proven, and why
 */
public record InstallReport(String state, String detail, String source, String python, InstallMatrix matrix,
        SmokeResult smoke, List<String> proven, List<String> notProven) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";
    public static final String PARTIAL = "partial";

    public static InstallReport skipped(String why) {
        return new InstallReport(SKIPPED, why, null, null, null, null, List.of(), List.of(why));
    }

    public static InstallReport failed(String why) {
        return new InstallReport(FAILED, why, null, null, null, null, List.of(), List.of());
    }
}
