package io.sochdb.release.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.ReleasePlan;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.RemoteArchive;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.upstream.ArchiveSet;
import io.sochdb.release.upstream.GitHubArchives;
import io.sochdb.release.upstream.LocalArchives;
import io.sochdb.release.upstream.SdkDownload;

/** The resolve step: checks the request, loads the SDK and finds every platform's upstream archive. */
public final class ReleasePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ReleasePlanner.class);
    /** Upstream tags are semver-like; anything else cannot be part of an asset name. */
    private static final Pattern UPSTREAM_VERSION = Pattern.compile("[0-9][0-9A-Za-z.+_-]{0,63}");

    private final List<Platform> platforms;
    private final String binaryPackage;
    private final SourceDate sourceDate;
    private final GitHubArchives upstream;
    private final SdkDownload sdkDownload;
    private final String sdkRepo;
    private final String sdkRef;

    public ReleasePlanner(List<Platform> platforms, String binaryPackage, SourceDate sourceDate, GitHubArchives upstream,
            SdkDownload sdkDownload, String sdkRepo, String sdkRef) {
        this.platforms = List.copyOf(platforms);
        this.binaryPackage = binaryPackage;
        this.sourceDate = sourceDate;
        this.upstream = upstream;
        this.sdkDownload = sdkDownload;
        this.sdkRepo = sdkRepo;
        this.sdkRef = sdkRef;
    }

    /** Checks what a person typed, before any work; shared by the command line and the triggers. */
    public static Version checkRequest(ReleaseRequest request) {
        Version version = Version.parse(request.version());
        int plus = version.canonical().indexOf('+');
        if (plus >= 0) {
            // Warehouse's words; a dry run must not succeed for a version the upload would be refused for.
            throw new InvalidInputException("invalid version \"" + version.canonical() + "\": PyPI refuses local "
                    + "versions (\"The use of local versions in <Version('" + version.canonical() + "')> is not "
                    + "allowed.\"); release " + version.canonical().substring(0, plus) + " instead");
        }
        String upstream = request.upstreamVersion().strip();
        checkUpstreamVersion(upstream).ifPresent(problem -> {
            throw new InvalidInputException("invalid sochdb_version \"" + upstream + "\": " + problem);
        });
        return version;
    }

    /** What is wrong with an upstream version, if anything: it becomes part of asset names and a tag. */
    public static Optional<String> checkUpstreamVersion(String upstream) {
        return UPSTREAM_VERSION.matcher(upstream.strip()).matches() ? Optional.empty()
                : Optional.of("expected an upstream release version such as 0.3.2 (the tag without its leading v)");
    }

    public void plan(ReleaseRun run) throws IOException {
        ReleaseRequest request = run.request();
        Version version = checkRequest(request);
        String upstreamVersion = request.upstreamVersion().strip();
        SdkProject sdk = loadSdk(run);
        // Inputs are found before the staging folder exists, so that a missing archive leaves nothing behind.
        List<Input> inputs = new ArrayList<>();
        List<Platform> notAttached;
        if (request.archives() != null) {
            ArchiveSet<Path> local = LocalArchives.resolve(request.archives(), platforms, upstreamVersion);
            local.found().forEach((platform, archive) -> inputs.add(new Input(platform, archive.getFileName().toString(), archive, null)));
            notAttached = local.notAttached();
        } else {
            ArchiveSet<RemoteArchive> remote = upstream.resolve(platforms, upstreamVersion);
            remote.found().forEach((platform, archive) -> inputs.add(new Input(platform, archive.name(), null, archive)));
            notAttached = remote.notAttached();
        }
        Path dist = request.dist().toAbsolutePath().normalize();
        Files.createDirectories(dist);
        // Built inside the dist folder so that the final moves are atomic renames on one file system.
        Path staging = Files.createTempDirectory(dist, ".staging-");
        BuildContext build = new BuildContext(version, upstreamVersion, sdk, staging, sourceDate);
        List<WheelJob> jobs = inputs.stream()
                .map(i -> new WheelJob(i.platform(), i.name(), i.local(), i.remote(), build)).toList();
        ReleasePlan plan = new ReleasePlan(request, build, jobs, notAttached);
        run.plan(plan);
        String absent = notAttached.isEmpty() ? "" : "; not attached upstream: "
                + String.join(", ", notAttached.stream().map(Platform::triple).toList());
        run.detail(sdk.metadata().name() + " " + version + " with sochdb " + upstreamVersion + " binaries, "
                + jobs.size() + " platforms, SDK from " + run.sdkSource() + absent);
        LOG.info("Releasing {} {} with sochdb {} binaries for {}", sdk.metadata().name(), version, upstreamVersion,
                jobs.stream().map(j -> j.platform().triple()).toList());
        if (!notAttached.isEmpty()) {
            LOG.info("Not attached upstream, so no wheel for: {}", notAttached.stream().map(Platform::triple).toList());
        }
    }

    private record Input(Platform platform, String name, Path local, RemoteArchive remote) {
    }

    private SdkProject loadSdk(ReleaseRun run) throws IOException {
        Path local = run.request().sdkSource();
        if (local != null) {
            run.sdkSource(local.toAbsolutePath().normalize().toString());
            return SdkProject.load(local, binaryPackage);
        }
        String ref = run.request().sdkRef() != null ? run.request().sdkRef() : sdkRef;
        SdkDownload.Fetched fetched = sdkDownload.fetch(sdkRepo, ref);
        run.sdkSource(sdkRepo + "@" + fetched.commit());
        return SdkProject.load(fetched.root(), binaryPackage);
    }

    /** The split's input: one job per platform. */
    public List<WheelJob> wheelJobs(ReleaseRun run) {
        return run.plan().wheelJobs();
    }
}
