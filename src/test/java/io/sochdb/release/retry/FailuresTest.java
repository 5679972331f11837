package io.sochdb.release.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.github.GitHubException;
import io.sochdb.release.pypi.PypiException;

/** Which failures are tried again by the replicas, and which wait for a person. */
class FailuresTest {

    @Test
    void outagesPass() {
        assertThat(Failures.needsPerson(new GitHubException(502, "GitHub answered 502"))).isFalse();
        assertThat(Failures.needsPerson(new PypiException(503, "PyPI answered 503"))).isFalse();
        assertThat(Failures.needsPerson(new GitHubException(429, "rate limited"))).isFalse();
        assertThat(Failures.needsPerson(new UncheckedIOException(new SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(Failures.needsPerson(new ReleaseFailedException("download of x failed",
                new IOException("Connection reset")))).isFalse();
        assertThat(Failures.needsPerson(null)).isFalse();
    }

    @Test
    void refusalsAndConflictsNeedAPerson() {
        assertThat(Failures.needsPerson(new GitHubException(401, "GitHub rejected the token"))).isTrue();
        assertThat(Failures.needsPerson(new PypiException(400, "File already exists"))).isTrue();
        assertThat(Failures.needsPerson(new ReleaseFailedException("already has x with different content"))).isTrue();
        assertThat(Failures.needsPerson(new InvalidInputException("invalid version \"x\""))).isTrue();
        assertThat(Failures.needsPerson(new IllegalStateException("a bug"))).as("never loop on a bug").isTrue();
    }

    @Test
    void gatheredPlatformFailuresPassOnlyWhenEachOneDoes() {
        ReleaseFailedException downloads = new ReleaseFailedException("2 of 3 wheels failed");
        downloads.addSuppressed(new IOException("Connection reset"));
        downloads.addSuppressed(new GitHubException(502, "Bad Gateway"));
        assertThat(Failures.needsPerson(downloads)).isFalse();

        ReleaseFailedException mixed = new ReleaseFailedException("2 of 3 wheels failed");
        mixed.addSuppressed(new IOException("Connection reset"));
        mixed.addSuppressed(new ReleaseFailedException("sochdb-bulk requires GLIBC_2.39"));
        assertThat(Failures.needsPerson(mixed)).isTrue();
    }

    @Test
    void aFailedDryRunFirstCarriesItsOwnVerdictToTheRelease() {
        ReleaseFailedException downloads = new ReleaseFailedException("wheels failed");
        downloads.addSuppressed(new UncheckedIOException(new SocketTimeoutException("Read timed out")));
        assertThat(Failures.needsPerson(new ReleaseFailedException("the dry run before the release failed at step wheels",
                downloads))).as("an outage in the dry run is retried").isFalse();
        assertThat(Failures.needsPerson(new ReleaseFailedException("the dry run before the release failed at step github",
                new GitHubException(401, "GitHub rejected the token")))).isTrue();
    }
}
