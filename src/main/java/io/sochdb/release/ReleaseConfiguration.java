package io.sochdb.release;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.compliance.ComplianceGate;
import io.sochdb.release.files.TextFiles;
import io.sochdb.release.github.ChangelogPullRequest;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubSettings;
import io.sochdb.release.github.ReleaseNotes;
import io.sochdb.release.github.ReleasePublisher;
import io.sochdb.release.http.HttpTransport;
import io.sochdb.release.http.OutboundHttp;
import io.sochdb.release.install.InstallProof;
import io.sochdb.release.install.InstallSettings;
import io.sochdb.release.json.JsonMapper;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.pipeline.DistFolder;
import io.sochdb.release.pipeline.ReleaseFailures;
import io.sochdb.release.pipeline.ReleasePlanner;
import io.sochdb.release.pipeline.StepGuard;
import io.sochdb.release.pipeline.StepTracker;
import io.sochdb.release.pipeline.WheelOutcomes;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.platform.PlatformTable;
import io.sochdb.release.pypi.PypiClient;
import io.sochdb.release.pypi.PypiPublisher;
import io.sochdb.release.pypi.PypiSettings;
import io.sochdb.release.pypi.UploadChecks;
import io.sochdb.release.retry.Sleeper;
import io.sochdb.release.sdist.SdistBuilder;
import io.sochdb.release.summary.Links;
import io.sochdb.release.summary.SummaryWriter;
import io.sochdb.release.upstream.ArchiveCache;
import io.sochdb.release.upstream.GitHubArchives;
import io.sochdb.release.upstream.SdkDownload;
import io.sochdb.release.wheel.WheelBuilder;

/** Builds the beans the routes call by name, from application.properties and its environment overrides. */
// Beans are lazy: camel-main post-processes configuration classes twice, and eager @BindToRegistry methods would
// build every bean (HTTP clients, thread pools) twice.
@Configuration
public class ReleaseConfiguration implements CamelConfiguration {

    /** An SDK source tree is small; these bounds only stop a hostile tarball. */
    private static final ArchiveLimits SOURCE_LIMITS = new ArchiveLimits(64L << 20, 512L << 20, 20_000);

    /** Every outbound request goes through this one camel-http producer; see {@link OutboundHttp}. */
    @BindToRegistry(lazy = true)
    public HttpTransport outboundHttp(CamelContext context) {
        return new HttpTransport(context);
    }

    @BindToRegistry(lazy = true)
    public GitHubClient gitHubClient(@BeanInject("outboundHttp") HttpTransport transport,
            @PropertyInject("github.api-url") String apiUrl,
            @PropertyInject("github.upload-url") String uploadUrl,
            @PropertyInject(value = "github.token", defaultValue = "") String token,
            @PropertyInject("github.retry.max-attempts") int maxAttempts,
            @PropertyInject("github.retry.initial-backoff-ms") long initialBackoffMs,
            @PropertyInject("github.retry.max-backoff-ms") long maxBackoffMs,
            @PropertyInject("github.rate-limit.max-wait-seconds") long maxRateLimitWait) {
        return new GitHubClient(new GitHubSettings(apiUrl, uploadUrl, token, "sochdb-release/" + Application.version(),
                maxAttempts, Duration.ofMillis(initialBackoffMs), Duration.ofMillis(maxBackoffMs),
                Duration.ofSeconds(maxRateLimitWait)), transport);
    }

    @BindToRegistry(lazy = true)
    public ReleasePlanner releasePlanner(CamelContext context,
            @BeanInject("gitHubClient") GitHubClient github,
            @PropertyInject("release.binary-package") String binaryPackage,
            @PropertyInject(value = "release.source-date-epoch", defaultValue = "") String sourceDateEpoch,
            @PropertyInject("sochdb.repo") String sochdbRepo,
            @PropertyInject("sdk.repo") String sdkRepo, @PropertyInject("sdk.ref") String sdkRef,
            @PropertyInject("release.cache-dir") String cacheDir,
            @PropertyInject("upstream.asset-wait-seconds") long assetWait,
            @PropertyInject(value = "upstream.optional-asset-grace-seconds", defaultValue = "120") long optionalGrace,
            @PropertyInject("upstream.asset-poll-seconds") long assetPoll) {
        List<Platform> platforms = PlatformTable.load(key -> context.getPropertiesComponent().resolveProperty(key));
        GitHubArchives upstream = new GitHubArchives(github, sochdbRepo, Duration.ofSeconds(assetWait),
                Duration.ofSeconds(Math.max(0, optionalGrace)), Duration.ofSeconds(Math.max(1, assetPoll)),
                Clock.systemUTC(), Sleeper.SYSTEM);
        SdkDownload sdkDownload = new SdkDownload(github, new ArchiveReader(SOURCE_LIMITS, true), Path.of(cacheDir));
        return new ReleasePlanner(platforms, binaryPackage, SourceDate.fromEnvironment(sourceDateEpoch), upstream,
                sdkDownload, sdkRepo, sdkRef);
    }

    @BindToRegistry(lazy = true)
    public ArchiveCache archiveCache(@BeanInject("gitHubClient") GitHubClient github,
            @PropertyInject("release.cache-dir") String cacheDir) {
        return new ArchiveCache(github, Path.of(cacheDir).resolve("upstream"));
    }

    /** Where people look for results; the summary and the release notes link the same places. */
    @BindToRegistry(lazy = true)
    public Links links(@PropertyInject("github.api-url") String githubApiUrl,
            @PropertyInject("sochdb.repo") String sochdbRepo, @PropertyInject("sdk.repo") String sdkRepo,
            @PropertyInject("pypi.url") String pypiUrl) {
        return new Links(Links.webUrlOf(githubApiUrl), sochdbRepo, sdkRepo, pypiUrl);
    }

    @BindToRegistry(lazy = true)
    public ReleasePublisher releasePublisher(@BeanInject("gitHubClient") GitHubClient github,
            @BeanInject("links") Links links, @PropertyInject("release.binary-package") String binaryPackage) {
        return new ReleasePublisher(github, links.sdkRepo(), new ReleaseNotes(links, links.sochdbRepo(), binaryPackage));
    }

    @BindToRegistry(lazy = true)
    public WheelBuilder wheelBuilder(@PropertyInject("release.binary-package") String binaryPackage,
            @PropertyInject("release.compression-level") int level,
            @PropertyInject("release.archive.max-entry-bytes") long maxEntryBytes,
            @PropertyInject("release.archive.max-total-bytes") long maxTotalBytes,
            @PropertyInject("release.archive.max-entries") int maxEntries,
            @PropertyInject(value = "release.copy-deflated", defaultValue = "true") boolean copyDeflated) {
        ArchiveReader reader = new ArchiveReader(new ArchiveLimits(maxEntryBytes, maxTotalBytes, maxEntries));
        return new WheelBuilder(reader, binaryPackage, "sochdb-release " + Application.version(), level,
                ComplianceGate.standard(), copyDeflated);
    }

    @BindToRegistry(lazy = true)
    public ExecutorService wheelPool(CamelContext context, @PropertyInject("release.parallelism") int parallelism) {
        return context.getExecutorServiceManager().newFixedThreadPool(this, "wheel", Math.max(1, parallelism));
    }

    @BindToRegistry(lazy = true)
    public StepGuard stepGuard() {
        return new StepGuard();
    }

    @BindToRegistry(lazy = true)
    public WheelOutcomes wheelOutcomes() {
        return new WheelOutcomes();
    }

    @BindToRegistry(lazy = true)
    public SdistBuilder sdistBuilder() {
        return new SdistBuilder();
    }

    /** summary.json, summary.md and SHA256SUMS go through camel-file, temp file then rename. */
    @BindToRegistry(lazy = true)
    public TextFiles textFiles(CamelContext context) {
        return new TextFiles(context);
    }

    @BindToRegistry(lazy = true)
    public DistFolder distFolder(@BeanInject("textFiles") TextFiles files) {
        return new DistFolder(files);
    }

    @BindToRegistry(lazy = true)
    public PypiClient pypiClient(@BeanInject("outboundHttp") HttpTransport transport,
            @PropertyInject("pypi.repository-url") String repositoryUrl,
            @PropertyInject("pypi.url") String indexUrl,
            @PropertyInject(value = "pypi.token", defaultValue = "") String token,
            @PropertyInject("pypi.upload-sdist") boolean uploadSdist,
            @PropertyInject("pypi.max-file-size") long maxFileSize,
            @PropertyInject("pypi.retry.max-attempts") int maxAttempts,
            @PropertyInject("pypi.retry.initial-backoff-ms") long initialBackoffMs,
            @PropertyInject("pypi.verify-timeout-seconds") long verifyTimeout,
            @PropertyInject(value = "pypi.oidc.actions-token-url", defaultValue = "") String actionsUrl,
            @PropertyInject(value = "pypi.oidc.actions-request-token", defaultValue = "") String actionsToken,
            @PropertyInject(value = "pypi.oidc.token-file", defaultValue = "") String tokenFile,
            @PropertyInject("pypi.oidc.gce") boolean gce,
            @PropertyInject("pypi.oidc.gce-metadata-url") String gceMetadataUrl) {
        PypiSettings settings = new PypiSettings(repositoryUrl, indexUrl, token, uploadSdist, maxFileSize, maxAttempts,
                Duration.ofMillis(initialBackoffMs), Duration.ofSeconds(verifyTimeout), actionsUrl, actionsToken,
                tokenFile, gce ? gceMetadataUrl : null);
        return new PypiClient(settings, "sochdb-release/" + Application.version(), transport);
    }

    @BindToRegistry(lazy = true)
    public UploadChecks uploadChecks(@PropertyInject("pypi.max-file-size") long maxFileSize) {
        return new UploadChecks(maxFileSize);
    }

    @BindToRegistry(lazy = true)
    public PypiPublisher pypiPublisher(@BeanInject("pypiClient") PypiClient client) {
        return new PypiPublisher(client, Clock.systemUTC());
    }

    @BindToRegistry(lazy = true)
    public InstallProof installProof(@PropertyInject("verify.install") String mode,
            @PropertyInject("verify.install.python") String python,
            @PropertyInject("verify.install.pythons") String pythons,
            @PropertyInject("verify.install.attempts") int attempts,
            @PropertyInject("verify.install.retry-seconds") long retrySeconds,
            @PropertyInject("verify.install.timeout-seconds") long timeoutSeconds,
            @PropertyInject("verify.install.parallelism") int parallelism,
            @PropertyInject("pypi.url") String pypiUrl,
            @PropertyInject("release.binary-package") String binaryPackage) {
        return new InstallProof(new InstallSettings(InstallSettings.Mode.parse(mode), python,
                InstallSettings.pythonList(pythons), attempts, Duration.ofSeconds(retrySeconds),
                Duration.ofSeconds(timeoutSeconds), parallelism, InstallSettings.simpleIndexOf(pypiUrl), binaryPackage));
    }

    @BindToRegistry(lazy = true)
    public ChangelogPullRequest changelogPullRequest(@BeanInject("gitHubClient") GitHubClient github,
            @BeanInject("links") Links links, @PropertyInject("changelog.pr") boolean enabled,
            @PropertyInject("changelog.path") String path) {
        return new ChangelogPullRequest(github, links, enabled, path, Clock.systemUTC());
    }

    @BindToRegistry(lazy = true)
    public ReleaseFailures releaseFailures() {
        return new ReleaseFailures();
    }

    @BindToRegistry(lazy = true)
    public SummaryWriter summaryWriter(@BeanInject("links") Links links, @BeanInject("jsonMapper") ObjectMapper json,
            @BeanInject("textFiles") TextFiles files) {
        return new SummaryWriter(links, json, files);
    }

    /** The one ObjectMapper: request bodies (camel-jackson finds it here), replies, status and summary.json. */
    @BindToRegistry(lazy = true)
    public ObjectMapper jsonMapper() {
        return JsonMapper.create();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        StepTracker steps = new StepTracker();
        context.addStartupListener(steps);
        context.getManagementStrategy().addEventNotifier(steps);
        OutboundHttp.fromEnvironment(System.getenv()).applyTo(context);
    }
}
