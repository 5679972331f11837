package io.sochdb.release.install;

/**
 * What the install-proof step found, for summary.json and summary.md.
 *
 * @param state  {@code passed}, {@code failed} or {@code skipped}
 * @param source where pip resolved from: the index URL, or the local files of a dry run
 * @param python the interpreter and pip used; null when none was found
 * @param matrix null when skipped
 * @param smoke  null when skipped
 */
public record InstallReport(String state, String detail, String source, String python, InstallMatrix matrix,
        SmokeResult smoke) {

    static InstallReport skipped(String why) {
        return new InstallReport("skipped", why, null, null, null, null);
    }
}
