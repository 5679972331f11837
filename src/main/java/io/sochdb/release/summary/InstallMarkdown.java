package io.sochdb.release.summary;

import io.sochdb.release.install.report.InstallMatrix;
import io.sochdb.release.install.report.InstallReport;

/** The install proof as a platform × Python table in summary.md. */
final class InstallMarkdown {

    private InstallMarkdown() {
    }

    static void append(StringBuilder md, InstallReport report) {
        if (report == null) {
            return;
        }
        md.append("## Install proof\n\n");
        if (report.matrix() == null) {
            md.append(report.detail()).append("\n\n");
            return;
        }
        InstallMatrix matrix = report.matrix();
        md.append("pip's resolution of `").append("name==version --platform <tag> --python-version <v>` from ")
                .append(report.source()).append(", with ").append(report.python()).append(": **")
                .append(report.state().equals(InstallReport.PARTIAL) ? "passed, but not everything was proven"
                        : report.state()).append("**\n\n");
        for (String proven : report.proven()) {
            md.append("- Proven: ").append(SummaryMarkdown.cell(proven)).append('\n');
        }
        for (String notProven : report.notProven()) {
            md.append("- **Not proven**: ").append(SummaryMarkdown.cell(notProven)).append('\n');
        }
        md.append('\n');
        md.append("| Platform | Tag |");
        matrix.pythons().forEach(v -> md.append(' ').append(v).append(" |"));
        md.append("\n|---|---|");
        matrix.pythons().forEach(v -> md.append("---|"));
        md.append('\n');
        for (InstallMatrix.Row row : matrix.rows()) {
            md.append("| ").append(row.triple()).append(" | ").append(row.tag()).append(" |");
            for (String python : matrix.pythons()) {
                InstallMatrix.Cell cell = row.cells().get(python);
                md.append(' ').append(cell == null ? "-" : cell.state().equals(InstallMatrix.Cell.OK) ? "ok"
                        : "**" + cell.state().replace('_', ' ') + "**").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        for (String failure : matrix.failures()) {
            md.append("- ").append(SummaryMarkdown.cell(failure)).append('\n');
        }
        if (report.smoke() != null) {
            md.append("- Smoke test on this host").append(report.smoke().tag() == null ? "" : " (" + report.smoke().tag() + ")")
                    .append(": ").append(report.smoke().state().replace('_', ' ')).append(report.smoke().detail() == null ? ""
                            : ", " + SummaryMarkdown.cell(report.smoke().detail())).append('\n');
        }
        md.append('\n');
    }
}
