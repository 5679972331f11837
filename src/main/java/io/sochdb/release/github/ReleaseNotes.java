package io.sochdb.release.github;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sochdb.release.packaging.ProjectMetadata;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import io.sochdb.release.summary.Links;

/** Release notes of the SDK's GitHub release, filled into the {@code templates/release-notes.md} resource. */
public final class ReleaseNotes {

    private static final Pattern FIELD = Pattern.compile("\\{([a-z_]+)}");

    private final String template;
    private final Links links;
    private final String sochdbRepo;
    private final String binaryPackage;

    public ReleaseNotes(Links links, String sochdbRepo, String binaryPackage) {
        this.links = links;
        this.sochdbRepo = sochdbRepo;
        this.binaryPackage = binaryPackage;
        this.template = Templates.read("release-notes.md");
    }

    public String render(ReleaseRun run) {
        ProjectMetadata project = run.plan().build().sdk().metadata();
        String version = run.plan().build().version().canonical();
        String sochdbVersion = run.plan().build().sochdbVersion();
        List<Artifact> files = run.artifacts();
        Map<String, String> values = Map.ofEntries(
                Map.entry("name", project.name().normalized()),
                Map.entry("version", version),
                Map.entry("sochdb_repo", sochdbRepo),
                Map.entry("sochdb_version", sochdbVersion),
                Map.entry("upstream_url", links.upstreamRelease(sochdbVersion)),
                Map.entry("python_versions", project.pythonSupport()),
                Map.entry("contents", contents(run.plan().wheelJobs())),
                Map.entry("platform_rows", platformRows(run)),
                Map.entry("not_attached", notAttached(run.plan().notAttached(), sochdbVersion)),
                Map.entry("checksum_rows", files.stream().filter(a -> !a.kind().equals("checksums"))
                        .map(a -> "| `" + a.name() + "` | `" + a.sha256() + "` |").collect(Collectors.joining("\n"))),
                Map.entry("sdist", files.stream().filter(a -> a.kind().equals("sdist")).map(Artifact::name).findFirst()
                        .orElse("-")));
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String contents(List<WheelJob> jobs) {
        Map<String, Set<String>> executables = new TreeMap<>();
        Map<String, Set<String>> libraries = new TreeMap<>();
        for (WheelJob job : jobs) {
            job.platform().executables().forEach(e -> executables.computeIfAbsent(e.replace(".exe", ""),
                    k -> new LinkedHashSet<>()).add(job.platform().triple()));
            job.platform().libraries().forEach(l -> libraries.computeIfAbsent(l, k -> new LinkedHashSet<>())
                    .add(job.platform().triple()));
        }
        StringBuilder out = new StringBuilder();
        executables.forEach((name, triples) -> out.append("- `").append(name).append("`: executable in `")
                .append(binaryPackage).append("/_bin/<triple>/` (").append(String.join(", ", triples)).append(")\n"));
        libraries.forEach((name, triples) -> out.append("- `").append(name).append("`: FFI library in `")
                .append(binaryPackage).append("/lib/<triple>/` (").append(String.join(", ", triples)).append(")\n"));
        return out.toString().stripTrailing();
    }

    /** A sentence for readers on the platforms left out, or nothing when every platform has its wheel. */
    private static String notAttached(List<Platform> platforms, String sochdbVersion) {
        if (platforms.isEmpty()) {
            return "";
        }
        return "\n\nNot attached upstream: " + platforms.stream().map(p -> "`" + p.triple() + "`")
                .collect(Collectors.joining(", ")) + ". The sochdb " + sochdbVersion + " release has no archive for "
                + (platforms.size() == 1 ? "this platform" : "these platforms") + ", so this release has no wheel for "
                + (platforms.size() == 1 ? "it" : "them") + "; pip there installs the sdist, which has no binaries.";
    }

    private static String platformRows(ReleaseRun run) {
        Map<String, String> wheels = run.artifacts().stream().filter(a -> a.platform() != null)
                .collect(Collectors.toMap(Artifact::platform, Artifact::name, (a, b) -> a));
        Map<String, String> tags = run.platforms().stream()
                .collect(Collectors.toMap(o -> o.platform().triple(), WheelOutcome::tag, (a, b) -> a));
        Stream<String> built = run.plan().wheelJobs().stream()
                .map(j -> "| " + j.platform().triple() + " | `" + tags.getOrDefault(j.platform().triple(), j.platform().tag()) + "` | `"
                        + wheels.getOrDefault(j.platform().triple(), "-") + "` |");
        Stream<String> absent = run.plan().notAttached().stream()
                .map(p -> "| " + p.triple() + " | - | not attached upstream |");
        return Stream.concat(built, absent).collect(Collectors.joining("\n"));
    }
}
