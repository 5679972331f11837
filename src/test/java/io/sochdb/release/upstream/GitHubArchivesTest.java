package io.sochdb.release.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fixtures.ManualClock;
import io.sochdb.release.fixtures.UpstreamPlatforms;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubSettings;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.RemoteArchive;

class GitHubArchivesTest {

    private static final String REPO = "sochdb/sochdb";
    private static final String VERSION = "0.3.2";
    private static final String TAG = "v0.3.2";
    private static final String TAG_PATH = "/api/repos/" + REPO + "/releases/tags/" + TAG;

    private static final Platform LINUX = UpstreamPlatforms.LINUX_X86_64;
    private static final Platform MAC = UpstreamPlatforms.MACOS_ARM64;
    private static final Platform WINDOWS = UpstreamPlatforms.WINDOWS_X86_64;
    private static final List<Platform> PLATFORMS = List.of(LINUX, MAC, WINDOWS);
    private static final Platform ARM_LINUX = new Platform("aarch64-unknown-linux-gnu", "manylinux_2_17_aarch64",
        "sochdb-{version}-{triple}.tar.gz", List.of("sochdb-bulk"), List.of(), false);
    private static final Platform INTEL_MAC = new Platform("x86_64-apple-darwin", "macosx_10_12_x86_64",
        "sochdb-{version}-{triple}.tar.gz", List.of("sochdb-bulk"), List.of(), false);
    /** The default table: three required platforms, two optional ones. */
    private static final List<Platform> FIVE = List.of(LINUX, ARM_LINUX, MAC, INTEL_MAC, WINDOWS);

    /** Moved only by the pause, so that a wait costs no real time and its length is exact. */

    private FakeGitHub fake;
    private GitHubClient client;
    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-15T12:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        fake = FakeGitHub.start();
        client = new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), "tok", "test", 3,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    private GitHubArchives archives(Duration maxWait, Duration firstPoll) {
        return new GitHubArchives(client, REPO, maxWait, firstPoll, clock, d -> {
            pauses.add(d);
            clock.advance(d);
        });
    }

    private GitHubArchives archives(Duration maxWait, Duration grace, Duration firstPoll) {
        return new GitHubArchives(client, REPO, maxWait, grace, firstPoll, clock, d -> {
            pauses.add(d);
            clock.advance(d);
        });
    }

    private static byte[] content(Platform p) {
        return ("archive of " + p.triple()).getBytes(StandardCharsets.UTF_8);
    }

    private long attach(long release, Platform p) {
        return fake.addAsset(REPO, release, p.archiveName(VERSION), content(p));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<Recorded> tagReads() {
        return fake.requests().stream().filter(r -> r.path().equals(TAG_PATH)).toList();
    }

    @Test
    void findsEveryArchiveWithIdSizeAndDigest() throws Exception {
        long release = fake.addRelease(REPO, TAG, false);
        long linux = attach(release, LINUX);
        long mac = attach(release, MAC);
        long windows = attach(release, WINDOWS);
        // Assets uploaded before GitHub computed digests have none; the size check must then stand alone.
        fake.clearDigest(mac);

        Map<Platform, RemoteArchive> found = archives(Duration.ofMinutes(5), Duration.ofSeconds(10))
            .resolve(PLATFORMS, VERSION).found();

        assertThat(found).containsOnlyKeys(PLATFORMS);
        assertThat(found.keySet()).containsExactlyElementsOf(PLATFORMS);
        String downloads = fake.baseUrl() + "/" + REPO + "/releases/download/" + TAG + "/";
        assertThat(found.get(LINUX)).isEqualTo(new RemoteArchive(REPO, linux, "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz",
            content(LINUX).length, sha256(content(LINUX)), downloads + "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz"));
        assertThat(found.get(MAC)).isEqualTo(new RemoteArchive(REPO, mac, "sochdb-0.3.2-aarch64-apple-darwin.tar.gz",
            content(MAC).length, null, downloads + "sochdb-0.3.2-aarch64-apple-darwin.tar.gz"));
        assertThat(found.get(WINDOWS)).isEqualTo(new RemoteArchive(REPO, windows, "sochdb-0.3.2-x86_64-pc-windows-msvc.zip",
            content(WINDOWS).length, sha256(content(WINDOWS)), downloads + "sochdb-0.3.2-x86_64-pc-windows-msvc.zip"));
        // Ids above Integer.MAX_VALUE: a client parsing them as int would have mangled them.
        assertThat(linux).isGreaterThan(Integer.MAX_VALUE);
        assertThat(pauses).isEmpty();
        assertThat(fake.violations()).isEmpty();
    }

    @Test
    void aMissingReleaseFailsAtOnceWithAHintAboutTheTagForm() {
        long older = fake.addRelease(REPO, "v0.3.1", false);
        PLATFORMS.forEach(p -> fake.addAsset(REPO, older, p.archiveName("0.3.1"), content(p)));

        assertThatThrownBy(() -> archives(Duration.ofMinutes(30), Duration.ofSeconds(10)).resolve(PLATFORMS, VERSION))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessageStartingWith("Release not found: sochdb/sochdb has no release v0.3.2. ")
            .hasMessageContaining("v{version}")
            .hasMessageContaining("without the v");
        // A release that does not exist will not appear by waiting for its archives.
        assertThat(pauses).isEmpty();
        assertThat(tagReads()).hasSize(1);
    }

    @Test
    void aDraftReleaseCountsAsMissing() {
        long draft = fake.addRelease(REPO, TAG, true);
        PLATFORMS.forEach(p -> attach(draft, p));

        assertThatThrownBy(() -> archives(Duration.ofMinutes(30), Duration.ofSeconds(10)).resolve(PLATFORMS, VERSION))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessageStartingWith("Release not found: sochdb/sochdb has no release v0.3.2. ")
            .hasMessageContaining("not a draft");
        assertThat(pauses).isEmpty();
    }

    @Test
    void waitsForAnArchiveThatIsAttachedLate() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, LINUX);
        attach(release, MAC);
        long late = fake.scheduleAsset(REPO, release, WINDOWS.archiveName(VERSION), content(WINDOWS), 2);

        Map<Platform, RemoteArchive> found = archives(Duration.ofMinutes(30), Duration.ofSeconds(10))
            .resolve(PLATFORMS, VERSION).found();

        assertThat(found).containsOnlyKeys(PLATFORMS);
        assertThat(found.get(WINDOWS).assetId()).isEqualTo(late);
        assertThat(found.get(WINDOWS).size()).isEqualTo(content(WINDOWS).length);
        // The asset shows on the third read: two waits, the second twice the first.
        assertThat(pauses).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(tagReads()).hasSize(3);
    }

    @Test
    void aStarterStubIsNotAnArchive() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, LINUX);
        attach(release, MAC);
        fake.addStubAsset(REPO, release, WINDOWS.archiveName(VERSION));

        assertThatThrownBy(() -> archives(Duration.ofMinutes(1), Duration.ofSeconds(10)).resolve(PLATFORMS, VERSION))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessage("Archive not found: sochdb/sochdb release v0.3.2 still lacks "
                + "sochdb-0.3.2-x86_64-pc-windows-msvc.zip after waiting 1 min");
        // The last wait is cut to the deadline rather than overshooting it.
        assertThat(pauses).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30));
    }

    @Test
    void givesUpAfterTheWaitNamingExactlyTheMissingArchives() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, MAC);

        assertThatThrownBy(() -> archives(Duration.ofMinutes(10), Duration.ofSeconds(30)).resolve(PLATFORMS, VERSION))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessage("Archive not found: sochdb/sochdb release v0.3.2 still lacks "
                + "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz, sochdb-0.3.2-x86_64-pc-windows-msvc.zip "
                + "after waiting 10 min")
            .message().doesNotContain("aarch64-apple-darwin");
        // Backoff doubles up to its 2 min cap, and the waits add up to the limit exactly.
        assertThat(pauses).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(30));
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofMinutes(10));
        assertThat(tagReads()).hasSize(pauses.size() + 1);
    }

    @Test
    void repeatedLooksAreConditionalReads() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, LINUX);
        attach(release, MAC);
        fake.scheduleAsset(REPO, release, WINDOWS.archiveName(VERSION), content(WINDOWS), 3);

        archives(Duration.ofMinutes(30), Duration.ofSeconds(10)).resolve(PLATFORMS, VERSION);

        List<Recorded> reads = tagReads();
        assertThat(reads).hasSize(4);
        assertThat(reads.get(0).header("If-None-Match")).isNull();
        // Unchanged looks cost no rate limit on GitHub only when they carry the ETag of the last answer.
        assertThat(reads.subList(1, 4)).allSatisfy(r -> assertThat(r.header("If-None-Match")).startsWith("W/\""));
        assertThat(reads.get(1).header("If-None-Match")).isEqualTo(reads.get(2).header("If-None-Match"));
        assertThat(reads).allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Bearer "));
    }

    @Test
    void anInterruptedWaitFailsTheReleaseAndKeepsTheFlag() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, LINUX);
        GitHubArchives interrupted = new GitHubArchives(client, REPO, Duration.ofMinutes(30), Duration.ofSeconds(10),
            clock, d -> {
                throw new InterruptedException();
            });
        try {
            assertThatThrownBy(() -> interrupted.resolve(PLATFORMS, VERSION))
                .isInstanceOf(ReleaseFailedException.class)
                .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void everyArchiveAttachedNeedsNoWaitAndLeavesNothingOut() {
        long release = fake.addRelease(REPO, TAG, false);
        FIVE.forEach(p -> attach(release, p));

        ArchiveSet<RemoteArchive> set = archives(Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofSeconds(10))
            .resolve(FIVE, VERSION);

        assertThat(set.found().keySet()).containsExactlyElementsOf(FIVE);
        assertThat(set.notAttached()).isEmpty();
        assertThat(pauses).isEmpty();
    }

    // An older upstream release built three platforms: the optional two never come, and the release goes on
    // after the grace, not after the half hour a required archive is worth.
    @Test
    void optionalArchivesThatNeverComeCostOnlyTheGrace() {
        long release = fake.addRelease(REPO, TAG, false);
        PLATFORMS.forEach(p -> attach(release, p));

        ArchiveSet<RemoteArchive> set = archives(Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofSeconds(10))
            .resolve(FIVE, VERSION);

        assertThat(set.found().keySet()).containsExactly(LINUX, MAC, WINDOWS);
        assertThat(set.notAttached()).containsExactly(ARM_LINUX, INTEL_MAC);
        assertThat(pauses).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
            Duration.ofSeconds(50));
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void withoutGraceAnOptionalArchiveIsNotWaitedForAtAll() {
        long release = fake.addRelease(REPO, TAG, false);
        PLATFORMS.forEach(p -> attach(release, p));

        ArchiveSet<RemoteArchive> set = archives(Duration.ofMinutes(30), Duration.ZERO, Duration.ofSeconds(10))
            .resolve(FIVE, VERSION);

        assertThat(set.notAttached()).containsExactly(ARM_LINUX, INTEL_MAC);
        assertThat(pauses).isEmpty();
        assertThat(tagReads()).hasSize(1);
    }

    @Test
    void anOptionalArchiveAttachedWithinTheGraceIsBuilt() {
        long release = fake.addRelease(REPO, TAG, false);
        PLATFORMS.forEach(p -> attach(release, p));
        attach(release, ARM_LINUX);
        long late = fake.scheduleAsset(REPO, release, INTEL_MAC.archiveName(VERSION), content(INTEL_MAC), 2);

        ArchiveSet<RemoteArchive> set = archives(Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofSeconds(10))
            .resolve(FIVE, VERSION);

        assertThat(set.found().keySet()).containsExactlyElementsOf(FIVE);
        assertThat(set.found().get(INTEL_MAC).assetId()).isEqualTo(late);
        assertThat(set.notAttached()).isEmpty();
        assertThat(pauses).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    // The grace runs from the moment the last required archive shows, not from the first look.
    @Test
    void theGraceStartsOnceTheLastRequiredArchiveIsAttached() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, LINUX);
        attach(release, MAC);
        fake.scheduleAsset(REPO, release, WINDOWS.archiveName(VERSION), content(WINDOWS), 3);

        ArchiveSet<RemoteArchive> set = archives(Duration.ofMinutes(30), Duration.ofSeconds(60), Duration.ofSeconds(10))
            .resolve(FIVE, VERSION);

        assertThat(set.notAttached()).containsExactly(ARM_LINUX, INTEL_MAC);
        // 10 + 20 + 40 until Windows shows, then the 60 s grace: 80 capped to 60.
        assertThat(pauses).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
            Duration.ofSeconds(60));
    }

    @Test
    void aMissingRequiredArchiveStillFailsAndOnlyItIsNamed() {
        long release = fake.addRelease(REPO, TAG, false);
        attach(release, LINUX);
        attach(release, MAC);

        assertThatThrownBy(() -> archives(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(10))
                .resolve(FIVE, VERSION))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessage("Archive not found: sochdb/sochdb release v0.3.2 still lacks "
                + "sochdb-0.3.2-x86_64-pc-windows-msvc.zip after waiting 1 min");
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofMinutes(1));
    }
}
