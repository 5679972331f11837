package io.sochdb.release;

import java.util.List;
import java.util.concurrent.ExecutorService;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.platform.PlatformTable;
import io.sochdb.release.release.DistFolder;
import io.sochdb.release.release.Publication;
import io.sochdb.release.release.ReleaseFailures;
import io.sochdb.release.release.ReleasePlanner;
import io.sochdb.release.release.StepTracker;
import io.sochdb.release.release.WheelOutcomes;
import io.sochdb.release.sdist.SdistBuilder;
import io.sochdb.release.summary.Links;
import io.sochdb.release.summary.SummaryWriter;
import io.sochdb.release.wheel.WheelBuilder;

/** Builds the beans the routes call by name, from application.properties and its environment overrides. */
@Configuration
public class ReleaseConfiguration implements CamelConfiguration {

    @BindToRegistry
    public ReleasePlanner releasePlanner(CamelContext context,
            @PropertyInject("release.binary-package") String binaryPackage,
            @PropertyInject(value = "release.source-date-epoch", defaultValue = "") String sourceDateEpoch) {
        List<Platform> platforms = PlatformTable.load(key -> context.getPropertiesComponent().resolveProperty(key));
        return new ReleasePlanner(platforms, binaryPackage, SourceDate.fromEnvironment(sourceDateEpoch));
    }

    @BindToRegistry
    public WheelBuilder wheelBuilder(@PropertyInject("release.binary-package") String binaryPackage,
            @PropertyInject("release.compression-level") int level,
            @PropertyInject("release.archive.max-entry-bytes") long maxEntryBytes,
            @PropertyInject("release.archive.max-total-bytes") long maxTotalBytes,
            @PropertyInject("release.archive.max-entries") int maxEntries) {
        ArchiveReader reader = new ArchiveReader(new ArchiveLimits(maxEntryBytes, maxTotalBytes, maxEntries));
        return new WheelBuilder(reader, binaryPackage, "sochdb-release " + Application.version(), level);
    }

    @BindToRegistry
    public ExecutorService wheelPool(CamelContext context, @PropertyInject("release.parallelism") int parallelism) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "wheel", Math.max(1, parallelism));
    }

    @BindToRegistry
    public WheelOutcomes wheelOutcomes() {
        return new WheelOutcomes();
    }

    @BindToRegistry
    public SdistBuilder sdistBuilder() {
        return new SdistBuilder();
    }

    @BindToRegistry
    public DistFolder distFolder() {
        return new DistFolder();
    }

    @BindToRegistry
    public Publication publication(@PropertyInject("sdk.repo") String sdkRepo,
            @PropertyInject("pypi.repository-url") String pypiRepositoryUrl) {
        return new Publication(sdkRepo, pypiRepositoryUrl);
    }

    @BindToRegistry
    public ReleaseFailures releaseFailures() {
        return new ReleaseFailures();
    }

    @BindToRegistry
    public SummaryWriter summaryWriter(@PropertyInject("github.api-url") String githubApiUrl,
            @PropertyInject("sochdb.repo") String sochdbRepo, @PropertyInject("sdk.repo") String sdkRepo,
            @PropertyInject("pypi.url") String pypiUrl) {
        return new SummaryWriter(new Links(Links.webUrlOf(githubApiUrl), sochdbRepo, sdkRepo, pypiUrl));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.getManagementStrategy().addEventNotifier(new StepTracker());
    }
}
