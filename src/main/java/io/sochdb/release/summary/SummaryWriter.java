package io.sochdb.release.summary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.compliance.ComplianceReport;
import io.sochdb.release.files.TextFiles;
import io.sochdb.release.packaging.ProjectName;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleasePlan;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.sdk.VersionStamp;

/** The summary step: summary.json and summary.md in the dist folder, written whether the release succeeded or not. */
public final class SummaryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryWriter.class);
    /** The status of an optional platform whose archive the upstream release does not have. */
    public static final String NOT_ATTACHED = "not attached upstream";
    private final ObjectWriter json;
    private final Links links;
    private final TextFiles files;

    /**
     * @param json  the service's one mapper (snake_case names), shared with the status endpoints
     * @param files writes summary.json and summary.md whole or not at all
     */
    public SummaryWriter(Links links, ObjectMapper json, TextFiles files) {
        this.links = links;
        this.json = json.writerWithDefaultPrettyPrinter();
        this.files = files;
    }

    /** Writes both files and returns the Markdown, which the command line prints. */
    public String write(ReleaseRun run) {
        run.finish();
        Summary summary = summarize(run);
        String markdown = SummaryMarkdown.render(summary);
        Path dist = run.request().dist().toAbsolutePath().normalize();
        try {
            files.write(dist.resolve("summary.json"), json.writeValueAsString(summary) + "\n");
            files.write(dist.resolve("summary.md"), markdown);
        } catch (IOException e) {
            LOG.error("Could not write the summary to {}: {}", dist, e.getMessage());
        }
        return markdown;
    }

    public Summary summarize(ReleaseRun run) {
        ReleasePlan plan = run.plan();
        String name = plan != null ? plan.build().sdk().metadata().name().normalized() : null;
        String version = plan != null ? plan.build().version().canonical() : run.request().version();
        String upstream = run.request().upstreamVersion();
        List<Summary.StepLine> steps = run.steps().stream()
                .map(s -> new Summary.StepLine(s.name(), s.state().name().toLowerCase(Locale.ROOT), s.detail(),
                        s.started() == null ? null : s.started().toString(),
                        s.finished() == null ? null : s.finished().toString())).toList();
        List<Summary.ArtifactLine> artifacts = run.artifacts().stream()
                .map(a -> new Summary.ArtifactLine(a.name(), a.kind(), a.platform(), a.size(), a.sha256(),
                        run.publications().get(a.name()))).toList();
        Map<String, String> linkMap = new LinkedHashMap<>();
        if (name != null) {
            linkMap.put("pypi", links.pypiProject(new ProjectName(name).normalized(), version));
        }
        linkMap.put("github_release", run.links().getOrDefault("github_release", links.sdkRelease(version)));
        linkMap.put("upstream_release", links.upstreamRelease(upstream));
        if (run.links().containsKey("changelog_pr")) {
            linkMap.put("changelog_pr", run.links().get("changelog_pr"));
        }
        Throwable failure = run.failure();
        String status = run.finished() == null ? "running" : failure == null ? "succeeded" : "failed";
        String install = name == null ? null : "pip install " + name + "==" + version;
        String python = plan == null ? null : plan.build().sdk().metadata().pythonSupport();
        return new Summary(name, version, upstream, run.sdkSource(), run.request().dryRun(), install, python, status,
                run.failedStep(), failure == null ? null : failure.getMessage(), String.valueOf(run.started()),
                String.valueOf(run.finished()), steps, platforms(run, plan, upstream),
                plan == null ? List.of() : plan.notAttached().stream().map(Platform::triple).toList(), artifacts, linkMap,
                stamped(plan, version, upstream), run.installProof());
    }

    /** What {@code sochdb.__version__} and {@code sochdb.__core_version__} say once installed. */
    private static Map<String, String> stamped(ReleasePlan plan, String version, String upstream) {
        Map<String, String> stamped = new LinkedHashMap<>();
        if (plan == null) {
            return stamped;
        }
        SdkProject sdk = plan.build().sdk();
        stamped.put(VersionStamp.VERSION, sdk.declares(VersionStamp.VERSION) ? version : null);
        stamped.put(VersionStamp.CORE_VERSION, sdk.declares(VersionStamp.CORE_VERSION) ? upstream : null);
        return stamped;
    }

    private static List<Summary.PlatformLine> platforms(ReleaseRun run, ReleasePlan plan, String upstream) {
        List<Summary.PlatformLine> lines = new ArrayList<>();
        if (plan == null) {
            return lines;
        }
        Map<String, WheelOutcome> outcomes = new LinkedHashMap<>();
        run.platforms().forEach(o -> outcomes.put(o.platform().triple(), o));
        Map<String, Artifact> committed = new LinkedHashMap<>();
        run.artifacts().stream().filter(a -> a.platform() != null).forEach(a -> committed.put(a.platform(), a));
        for (WheelJob job : plan.wheelJobs()) {
            Platform platform = job.platform();
            WheelOutcome outcome = outcomes.get(platform.triple());
            String archive = job.archiveName();
            if (outcome == null) {
                lines.add(new Summary.PlatformLine(platform.triple(), platform.tag(), "not built", null, null, null,
                        archive, upstream, List.of(), List.of(), null, platform.tag(), null, List.of()));
                continue;
            }
            ComplianceReport compliance = outcome.compliance();
            String reason = compliance == null ? null : compliance.reason();
            List<Summary.BinaryLine> checked = compliance == null ? List.of() : compliance.binaries().stream()
                    .map(b -> new Summary.BinaryLine(b.file(), b.format(), b.architecture(), b.glibc(), b.minMacos(),
                            b.needed(), b.problems())).toList();
            if (!outcome.succeeded()) {
                lines.add(new Summary.PlatformLine(platform.triple(), outcome.tag(), "failed", null, null, null,
                        archive, upstream, List.of(), outcome.leftOut(), outcome.error(), platform.tag(), reason, checked));
            } else {
                Artifact wheel = committed.getOrDefault(platform.triple(), outcome.wheel());
                // Wheels only reach the dist folder when the whole release built; until then they were staged.
                String status = run.succeeded() ? "built" : "built, not kept";
                lines.add(new Summary.PlatformLine(platform.triple(), outcome.tag(), status, wheel.name(), wheel.size(),
                        wheel.sha256(), archive, upstream, outcome.binaries(), outcome.leftOut(), null, platform.tag(),
                        reason, checked));
            }
        }
        for (Platform platform : plan.notAttached()) {
            lines.add(new Summary.PlatformLine(platform.triple(), platform.tag(), NOT_ATTACHED, null, null, null,
                    platform.archiveName(upstream), upstream, List.of(), List.of(), null, platform.tag(), null, List.of()));
        }
        return lines;
    }
}
