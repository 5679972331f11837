package io.sochdb.release.summary;

import java.util.Map;

/** Renders a {@link Summary} as the Markdown that the command line prints and summary.md holds. */
final class SummaryMarkdown {

    private SummaryMarkdown() {
    }

    static String render(Summary s) {
        StringBuilder md = new StringBuilder();
        String title = (s.name() == null ? "sochdb-client" : s.name()) + " " + s.version();
        md.append("# ").append(title).append(s.dryRun() ? " (dry run)" : "").append(": ").append(s.status()).append("\n\n");
        md.append("- Mode: ").append(s.dryRun() ? "dry run (nothing published)" : "production").append('\n');
        md.append("- Binaries: upstream sochdb ").append(s.sochdbVersion());
        if (s.links().containsKey("upstream_release")) {
            md.append(" (").append(s.links().get("upstream_release")).append(')');
        }
        md.append('\n');
        if (s.sdkSource() != null) {
            md.append("- SDK source: ").append(s.sdkSource()).append('\n');
        }
        if (s.install() != null) {
            md.append("- Install: `").append(s.install()).append("`\n");
        }
        if (s.pythonSupport() != null) {
            md.append("- Python: ").append(s.pythonSupport()).append('\n');
        }
        if (s.stampedVersions() != null && !s.stampedVersions().isEmpty()) {
            md.append("- Package versions: ").append(String.join(", ", s.stampedVersions().entrySet().stream()
                    .map(e -> "`" + e.getKey() + "` " + (e.getValue() == null ? "not declared by the SDK"
                            : "= \"" + e.getValue() + "\"")).toList())).append('\n');
        }
        if (!s.notAttachedUpstream().isEmpty()) {
            md.append("- Not attached upstream: ").append(String.join(", ", s.notAttachedUpstream().stream()
                    .map(t -> "`" + t + "`").toList()))
                    .append(" (optional platforms: no wheel in this release; pip there falls back to the sdist, which has no binaries)\n");
        }
        md.append('\n');
        if (s.error() != null) {
            md.append("**Failed at step `").append(s.failedStep()).append("`:** ").append(cell(s.error())).append("\n\n");
        }
        if (!s.platforms().isEmpty()) {
            md.append("## Platforms\n\n| Platform | Tag | Status | Wheel | Size | sha256 |\n|---|---|---|---|---:|---|\n");
            for (Summary.PlatformLine p : s.platforms()) {
                String status = p.error() == null ? p.status() : p.status() + ": " + p.error();
                md.append("| ").append(p.triple()).append(" | ").append(p.tag()).append(" | ").append(cell(status))
                        .append(" | ").append(orDash(p.wheel())).append(" | ").append(p.size() == null ? "-" : bytes(p.size()))
                        .append(" | ").append(p.sha256() == null ? "-" : "`" + p.sha256() + "`").append(" |\n");
            }
            md.append('\n');
            compliance(md, s);
        }
        if (!s.artifacts().isEmpty()) {
            md.append("## Files\n\n| File | Size | sha256 | PyPI |\n|---|---:|---|---|\n");
            for (Summary.ArtifactLine a : s.artifacts()) {
                md.append("| ").append(a.name()).append(" | ").append(bytes(a.size())).append(" | `").append(a.sha256())
                        .append("` | ").append(orDash(a.pypi())).append(" |\n");
            }
            md.append('\n');
        }
        InstallMarkdown.append(md, s.installProof());
        md.append("## Steps\n\n| Step | State | Detail |\n|---|---|---|\n");
        for (Summary.StepLine step : s.steps()) {
            md.append("| ").append(step.name()).append(" | ").append(step.state()).append(" | ")
                    .append(cell(orDash(step.detail()))).append(" |\n");
        }
        md.append("\n## Links\n\n");
        for (Map.Entry<String, String> link : s.links().entrySet()) {
            md.append("- ").append(label(link.getKey())).append(": ").append(link.getValue()).append('\n');
        }
        return md.toString();
    }

    /** Per platform: the tag and why, then each binary the gate checked and what it needs. */
    private static void compliance(StringBuilder md, Summary s) {
        if (s.platforms().stream().allMatch(p -> p.compliance().isEmpty() && p.tagReason() == null)) {
            return;
        }
        md.append("## Compliance\n\n");
        for (Summary.PlatformLine p : s.platforms()) {
            if (p.compliance().isEmpty() && p.tagReason() == null) {
                continue;
            }
            md.append("- ").append(p.triple()).append(": `").append(p.tag()).append('`');
            if (!p.tag().equals(p.configuredTag())) {
                md.append(" (configured: `").append(p.configuredTag()).append("`)");
            }
            if (p.tagReason() != null) {
                md.append(", ").append(p.tagReason());
            }
            md.append('\n');
        }
        md.append("\n| Platform | Binary | Format | Architecture | Needs | Result |\n|---|---|---|---|---|---|\n");
        for (Summary.PlatformLine p : s.platforms()) {
            for (Summary.BinaryLine b : p.compliance()) {
                String needs = b.glibc() != null ? "GLIBC_" + b.glibc() : b.minMacos() != null ? "macOS " + b.minMacos() : "-";
                String result = b.problems().isEmpty() ? "fits" : String.join("; ", b.problems());
                md.append("| ").append(p.triple()).append(" | ").append(b.file()).append(" | ").append(b.format())
                        .append(" | ").append(orDash(b.architecture())).append(" | ").append(needs).append(" | ")
                        .append(cell(result)).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static String label(String key) {
        return switch (key) {
            case "pypi" -> "PyPI package";
            case "github_release" -> "GitHub release";
            case "upstream_release" -> "Upstream binaries";
            case "changelog_pr" -> "CHANGELOG pull request";
            default -> key;
        };
    }

    static String bytes(long size) {
        if (size < 1024) {
            return size + " B";
        }
        if (size < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB (%d B)", size / 1024.0, size);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB (%d B)", size / (1024.0 * 1024), size);
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    /** Table cells cannot hold pipes or line breaks. */
    static String cell(String value) {
        return value.replace("|", "\\|").replaceAll("\\R", " ");
    }
}
