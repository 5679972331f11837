package io.sochdb.release.compliance;

import java.util.stream.Collectors;

/** The gate refused a wheel; the message names the wheel and every mismatch, the report holds the findings. */
public final class ComplianceException extends RuntimeException {

    private final transient ComplianceReport report;

    public ComplianceException(String wheel, ComplianceReport report) {
        super(wheel + ": " + report.violations().stream().map(Violation::message).distinct()
                .collect(Collectors.joining("; ")));
        this.report = report;
    }

    public ComplianceReport report() {
        return report;
    }
}
