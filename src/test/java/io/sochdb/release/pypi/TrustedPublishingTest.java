package io.sochdb.release.pypi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.PyPIUpload;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fixtures.ManualClock;
import io.sochdb.release.fixtures.RunSteps;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.run.ReleaseRun;
import static io.sochdb.release.pypi.PypiPublisherTest.release;
import static io.sochdb.release.pypi.PypiPublisherTest.rerun;

/** Uploads with a token minted from an OIDC ID token; the fake accepts no API token here, only minted ones. */
class TrustedPublishingTest {

    enum Source { ACTIONS, TOKEN_FILE, GCE }

    @TempDir
    Path tmp;

    private FakePyPI fake;
    private final List<PypiClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        fake = FakePyPI.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (PypiClient client : clients) {
            client.close();
        }
        fake.close();
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void uploadsWithATokenMintedFromTheIdToken(Source source) throws Exception {
        ReleaseRun run = release(tmp, "0.3.2", false, SourceDate.DEFAULT);

        publisher(settings(source)).upload(RunSteps.in(run, "pypi"));

        assertThat(fake.mintedTokens()).isNotEmpty();
        assertThat(fake.uploads()).hasSize(4).allSatisfy(u -> {
            assertThat(u.authUser()).isEqualTo("__token__");
            assertThat(u.status()).as(u.toString()).isEqualTo(200);
        });
        assertThat(run.publications()).hasSize(4).allSatisfy((k, v) -> assertThat(v).isEqualTo("uploaded"));
        // The fake flags an ID token asked for another audience and any secret sent to the wrong endpoint.
        assertThat(fake.violations()).isEmpty();
        List<String> asked = fake.requests().stream().map(Recorded::path).toList();
        assertThat(asked).contains("/_/oidc/audience", "/_/oidc/mint-token");
        assertThat(asked.contains("/actions/idtoken")).isEqualTo(source == Source.ACTIONS);
        assertThat(asked.stream().anyMatch(p -> p.startsWith("/computeMetadata/"))).isEqualTo(source == Source.GCE);
    }

    @ParameterizedTest
    @CsvSource({
        "invalid-publisher, Publishing settings",
        "invalid-token, audience",
        "invalid-payload, audience",
        "not-enabled, PYPI_TOKEN",
        "invalid-pypi-token, try again later"})
    void eachMintErrorIsNamedWithWhatToFix(String code, String fix) throws Exception {
        ReleaseRun run = release(tmp, "0.3.2", false, SourceDate.DEFAULT);
        fake.mintError(code, null);

        PypiException e = catchThrowableOfType(PypiException.class, () -> publisher(settings(Source.ACTIONS)).upload(RunSteps.in(run, "pypi")));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.getMessage()).contains(code, fix).doesNotContain(fake.idToken(), fake.actionsRequestToken());
        assertThat(fake.uploads()).isEmpty();
    }

    @Test
    void mintedTokenThatExpiresBetweenReleasesIsRenewed() throws Exception {
        PypiPublisher publisher = publisher(settings(Source.ACTIONS));
        publisher.upload(RunSteps.in(release(tmp, "0.3.2", false, SourceDate.DEFAULT), "pypi"));
        fake.expireMintedTokens();
        int before = fake.uploads().size();

        ReleaseRun later = release(tmp, "0.3.3", false, SourceDate.DEFAULT);
        publisher.upload(RunSteps.in(later, "pypi"));

        assertThat(later.publications()).hasSize(4).allSatisfy((k, v) -> assertThat(v).isEqualTo("uploaded"));
        assertThat(fake.mintedTokens()).hasSize(2);
        List<PyPIUpload> uploads = fake.uploads().subList(before, fake.uploads().size());
        assertThat(uploads).extracting(PyPIUpload::status).containsExactly(403, 200, 200, 200, 200);
        assertThat(uploads.get(1).filename()).isEqualTo(uploads.get(0).filename());
    }

    @Test
    void mintedTokenIsReusedForTenMinutesThenRenewedBeforeTheIndexRefusesIt() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-01-15T12:00:00Z"));
        PypiClient client = new PypiClient(settings(Source.ACTIONS), "test");
        clients.add(client);
        PypiPublisher publisher = new PypiPublisher(client, clock);
        publisher.upload(RunSteps.in(release(tmp, "0.3.2", false, SourceDate.DEFAULT), "pypi"));
        clock.advance(Duration.ofMinutes(9));
        publisher.upload(RunSteps.in(release(tmp, "0.3.3", false, SourceDate.DEFAULT), "pypi"));
        assertThat(fake.mintedTokens()).hasSize(1);

        // PyPI's minted tokens live 15 minutes; one older than 10 may expire in the middle of a large upload.
        clock.advance(Duration.ofMinutes(2));
        publisher.upload(RunSteps.in(release(tmp, "0.3.4", false, SourceDate.DEFAULT), "pypi"));

        assertThat(fake.mintedTokens()).hasSize(2);
        assertThat(fake.uploads()).hasSize(12).allSatisfy(u -> assertThat(u.status()).isEqualTo(200));
    }

    @Test
    void rerunOfACompleteReleaseMintsNoToken() throws Exception {
        ReleaseRun first = release(tmp, "0.3.2", false, SourceDate.DEFAULT);
        publisher(settings(Source.ACTIONS)).upload(RunSteps.in(first, "pypi"));
        int minted = fake.mintedTokens().size();
        int uploads = fake.uploads().size();

        publisher(settings(Source.ACTIONS)).upload(RunSteps.in(rerun(first), "pypi"));

        assertThat(fake.mintedTokens()).hasSize(minted);
        assertThat(fake.uploads()).hasSize(uploads);
    }

    @Test
    void actionsWithoutIdTokenPermissionSaysWhatTheWorkflowNeeds() throws Exception {
        String wrong = "actions-request-token-the-fake-refuses-3e8a";
        ReleaseRun run = release(tmp, "0.3.2", false, SourceDate.DEFAULT);
        PypiSettings settings = new PypiSettings(fake.repositoryUrl(), fake.baseUrl(), null, true, 100L << 20, 3,
            Duration.ofMillis(10), Duration.ofSeconds(5), fake.actionsTokenUrl(), wrong, null, null);

        PypiException e = catchThrowableOfType(PypiException.class, () -> publisher(settings).upload(RunSteps.in(run, "pypi")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("id-token: write").doesNotContain(wrong);
        assertThat(fake.uploads()).isEmpty();
        assertThat(fake.mintedTokens()).isEmpty();
    }

    @Test
    void unreadableTokenFileIsNamed() throws Exception {
        ReleaseRun run = release(tmp, "0.3.2", false, SourceDate.DEFAULT);
        String missing = tmp.resolve("no-such-token").toString();
        PypiSettings settings = new PypiSettings(fake.repositoryUrl(), fake.baseUrl(), null, true, 100L << 20, 3,
            Duration.ofMillis(10), Duration.ofSeconds(5), null, null, missing, null);

        PypiException e = catchThrowableOfType(PypiException.class, () -> publisher(settings).upload(RunSteps.in(run, "pypi")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("PYPI_OIDC_TOKEN_FILE", missing);
        assertThat(fake.uploads()).isEmpty();
    }

    @Test
    void indexWithoutTrustedPublishingAsksForPypiToken() throws Exception {
        fake.close();
        fake = FakePyPI.startPrivateIndex();
        ReleaseRun run = release(tmp, "0.3.2", false, SourceDate.DEFAULT);

        PypiException e = catchThrowableOfType(PypiException.class,
            () -> publisher(settings(Source.GCE)).upload(RunSteps.in(run, "pypi")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("trusted publishing", "PYPI_TOKEN");
        assertThat(fake.uploads()).isEmpty();
    }

    private PypiSettings settings(Source source) throws IOException {
        String actionsUrl = null;
        String actionsToken = null;
        String tokenFile = null;
        String gce = null;
        switch (source) {
            case ACTIONS -> {
                actionsUrl = fake.actionsTokenUrl();
                actionsToken = fake.actionsRequestToken();
            }
            // A projected service account token file ends with a newline.
            case TOKEN_FILE -> tokenFile = Files.writeString(tmp.resolve("oidc-token"), fake.idToken() + "\n").toString();
            case GCE -> gce = fake.gceMetadataUrl();
        }
        return new PypiSettings(fake.repositoryUrl(), fake.baseUrl(), null, true, 100L << 20, 3, Duration.ofMillis(10),
            Duration.ofSeconds(5), actionsUrl, actionsToken, tokenFile, gce);
    }

    private PypiPublisher publisher(PypiSettings settings) {
        PypiClient client = new PypiClient(settings, "test");
        clients.add(client);
        return new PypiPublisher(client, Clock.systemUTC());
    }

}
