package io.sochdb.release.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.InvalidInputException;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.upstream.LocalArchives;

/** The resolve step: checks the request, loads the SDK and finds every platform's upstream archive. */
public final class ReleasePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ReleasePlanner.class);
    /** Upstream tags are semver-like; anything else cannot be part of an asset name. */
    private static final Pattern UPSTREAM_VERSION = Pattern.compile("[0-9][0-9A-Za-z.+_-]{0,63}");

    private final List<Platform> platforms;
    private final String binaryPackage;
    private final SourceDate sourceDate;

    public ReleasePlanner(List<Platform> platforms, String binaryPackage, SourceDate sourceDate) {
        this.platforms = List.copyOf(platforms);
        this.binaryPackage = binaryPackage;
        this.sourceDate = sourceDate;
    }

    /** Checks what a person typed, before any work; shared by the command line and the triggers. */
    public static Version checkRequest(ReleaseRequest request) {
        Version version = Version.parse(request.version());
        String upstream = request.upstreamVersion().strip();
        if (!UPSTREAM_VERSION.matcher(upstream).matches()) {
            throw new InvalidInputException("invalid sochdb_version \"" + upstream
                    + "\": expected an upstream release version such as 0.3.2 (the tag without its leading v)");
        }
        return version;
    }

    public void plan(ReleaseRun run) throws IOException {
        ReleaseRequest request = run.request();
        Version version = checkRequest(request);
        String upstream = request.upstreamVersion().strip();
        if (request.sdkSource() == null || request.archives() == null) {
            throw new ReleaseFailedException("fetching upstream archives and the SDK source from GitHub is not part of this build yet; "
                    + "pass --archives and --sdk-source");
        }
        SdkProject sdk = SdkProject.load(request.sdkSource(), binaryPackage);
        Map<Platform, Path> archives = LocalArchives.resolve(request.archives(), platforms, upstream);
        Path dist = request.dist().toAbsolutePath().normalize();
        Files.createDirectories(dist);
        // Built inside the dist folder so that the final moves are atomic renames on one file system.
        Path staging = Files.createTempDirectory(dist, ".staging-");
        BuildContext build = new BuildContext(version, upstream, sdk, staging, sourceDate);
        List<WheelJob> jobs = new ArrayList<>();
        archives.forEach((platform, archive) -> jobs.add(new WheelJob(platform, archive, build)));
        ReleasePlan plan = new ReleasePlan(request, build, List.copyOf(jobs));
        run.plan(plan);
        run.detail("resolve", sdk.metadata().name() + " " + version + " with sochdb " + upstream + " binaries, "
                + jobs.size() + " platforms");
        LOG.info("Releasing {} {} with sochdb {} binaries for {}", sdk.metadata().name(), version, upstream,
                jobs.stream().map(j -> j.platform().triple()).toList());
    }

    /** The split's input: one job per platform. */
    public List<WheelJob> wheelJobs(ReleaseRun run) {
        return run.plan().wheelJobs();
    }
}
