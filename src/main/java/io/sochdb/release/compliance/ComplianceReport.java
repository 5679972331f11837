package io.sochdb.release.compliance;

import java.util.List;

/**
 * The gate's verdict for one wheel.
 *
 * @param configuredTag the tag from the platform table, possibly {@code auto}
 * @param tag           the tag the wheel gets; null when no tag fits
 * @param reason        why that tag: configured, or what the binaries need
 * @param violations    empty when every binary fits {@code tag}
 */
public record ComplianceReport(String configuredTag, String tag, String reason, List<BinaryFinding> binaries,
        List<Violation> violations) {

    public ComplianceReport {
        binaries = List.copyOf(binaries);
        violations = List.copyOf(violations);
    }

    public boolean passed() {
        return tag != null && violations.isEmpty();
    }
}
