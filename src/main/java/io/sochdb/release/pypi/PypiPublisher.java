package io.sochdb.release.pypi;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.retry.Retry;
import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.retry.Sleeper;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRun;

/**
 * The PyPI steps. {@link #upload} sends what the index does not hold yet, deciding by sha256 and never by error
 * text alone; {@link #verify} waits until the index lists every file. A rerun after a complete release sends no
 * upload at all.
 */
public final class PypiPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(PypiPublisher.class);
    /** Minted tokens live 15 minutes; renewing after 10 leaves room for a slow upload. */
    private static final Duration MINTED_TOKEN_AGE = Duration.ofMinutes(10);

    private final PypiClient client;
    private final TrustedPublishing trustedPublishing;
    private final Clock clock;
    private final Retry polls;
    private final Retry lookups;
    private String minted;
    private Instant mintedAt;

    public PypiPublisher(PypiClient client, Clock clock) {
        this(client, clock, Sleeper.SYSTEM);
    }

    PypiPublisher(PypiClient client, Clock clock, Sleeper sleeper) {
        this.client = client;
        this.trustedPublishing = new TrustedPublishing(client);
        this.clock = clock;
        // Listings lag behind uploads by seconds; looks start at one second and never wait more than 30.
        this.polls = new Retry(RetryPolicy.polling(Duration.ofSeconds(1), Duration.ofSeconds(30)), clock, sleeper);
        this.lookups = new Retry(new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8)), clock, sleeper);
    }

    public synchronized void upload(ReleaseRun run) throws IOException {
        List<Artifact> files = files(run);
        String name = run.plan().build().sdk().metadata().name().normalized();
        String version = run.plan().build().version().canonical();
        if (run.request().dryRun()) {
            run.skip("dry run: would upload " + files.size() + " files to " + client.settings().repositoryUrl()
                    + dryRunLook(run, name, version, files));
            return;
        }
        requireCredentials();
        Map<String, String> present = client.published(name, version);
        List<Artifact> missing = new ArrayList<>();
        for (Artifact file : files) {
            String sha = present.get(file.name());
            if (sha == null) {
                missing.add(file);
            } else if (sha.equals(file.sha256())) {
                run.publication(file.name(), "already published, identical");
            } else {
                throw conflict(file, sha);
            }
        }
        for (Artifact file : missing) {
            run.lease().requireOwned();
            String outcome = send(file, name, version);
            run.publication(file.name(), outcome);
            if (outcome.equals("uploaded")) {
                run.uploaded(file.size());
            }
        }
        run.detail(missing.size() + " uploaded, " + (files.size() - missing.size()) + " already there and identical");
    }

    public void verify(ReleaseRun run) {
        if (run.request().dryRun()) {
            run.skip("dry run: nothing was published");
            return;
        }
        List<Artifact> files = files(run);
        String name = run.plan().build().sdk().metadata().name().normalized();
        Instant deadline = clock.instant().plus(client.settings().verifyTimeout());
        List<String> absent = new ArrayList<>();
        polls.until("verify the upload", deadline, attempt -> {
            Map<String, String> listed = client.simple(name);
            absent.clear();
            files.stream().filter(f -> !f.sha256().equals(listed.get(f.name()))).map(Artifact::name).forEach(absent::add);
            return absent.isEmpty() ? Retry.done(true) : Retry.again("the index does not list " + absent + " yet");
        }, () -> new ReleaseFailedException("the index does not list " + String.join(", ", absent) + " with the "
                + "uploaded sha256 after " + client.settings().verifyTimeout().toSeconds() + " s; run again to check"));
        run.detail("the index lists all " + files.size() + " files with their sha256");
    }

    private String send(Artifact file, String name, String version) throws IOException {
        Digests.FileDigests digests = Digests.all(file.path());
        List<Map.Entry<String, String>> form = UploadForm.of(file.path(), file.kind(), digests);
        PypiClient.Reply reply = client.upload(file.path(), form, password(false));
        if (reply.status() == 403 && minted != null) {
            LOG.info("The index refused the minted token; minting a new one");
            reply = client.upload(file.path(), form, password(true));
        }
        int status = reply.status();
        if (status == 200 || status == 201) {
            LOG.info("Uploaded {} to {}", file.name(), client.settings().repositoryUrl());
            return "uploaded";
        }
        if (status >= 300 && status < 400) {
            throw new PypiException(status, "PYPI_REPOSITORY_URL " + client.settings().repositoryUrl() + " redirects to "
                    + reply.location() + "; configure the final upload URL (with its trailing slash)");
        }
        String body = message(reply.body());
        if (status == 409 || (status == 400 && body.contains("File already exists"))) {
            String sha = listedSha256(name, version, file.name());
            if (file.sha256().equals(sha)) {
                return "already published, identical";
            }
            if (sha == null) {
                // Probably our own upload whose answer was lost, not listed yet: never call that a conflict.
                throw new PypiException(status, "the index says " + file.name() + " exists but does not list it yet, "
                        + "so its content cannot be compared; run the release again in a few minutes");
            }
            throw conflict(file, sha);
        }
        if (status == 400 && body.contains("14 days")) {
            throw new PypiException(status, "PyPI refuses new files for " + name + " " + version + " more than 14 days "
                    + "after its first file (" + file.name() + "); release a new version instead");
        }
        if (status == 400 && body.contains("already been used")) {
            throw new PypiException(status, "PyPI never takes a deleted file name again (" + file.name()
                    + "); release a new version instead");
        }
        if (status == 401 || status == 403) {
            throw new PypiException(status, "the index refused the credentials for " + file.name() + " (" + status + ": "
                    + body + "); check PYPI_TOKEN (it must be allowed to upload to " + name + ") or trusted publishing");
        }
        throw new PypiException(status, "the index refused " + file.name() + " (" + status + "): " + body);
    }

    /** Fails before anything is sent when there is no way to authenticate. */
    private void requireCredentials() {
        if (client.settings().token() == null && !trustedPublishing.available()) {
            throw new PypiException(0, "no PyPI credentials: set PYPI_TOKEN, or run where trusted publishing can get an "
                    + "OIDC token (GitHub Actions with id-token: write, PYPI_OIDC_TOKEN_FILE, or PYPI_OIDC_GCE=true on GKE)");
        }
    }

    /** The sha256 the index lists for a file, asking a few times: listings lag behind uploads. */
    private String listedSha256(String name, String version, String file) {
        return lookups.run("look up " + file + " in the index", attempt -> {
            String sha = client.published(name, version).get(file);
            return sha != null || lookups.policy().exhausted(attempt) ? Retry.done(sha) : Retry.again("not listed yet");
        });
    }

    private String password(boolean renew) {
        if (client.settings().token() != null) {
            return client.settings().token();
        }
        if (renew || minted == null || clock.instant().isAfter(mintedAt.plus(MINTED_TOKEN_AGE))) {
            minted = trustedPublishing.mint();
            mintedAt = clock.instant();
        }
        return minted;
    }

    private String dryRunLook(ReleaseRun run, String name, String version, List<Artifact> files) {
        // A dry run from local inputs promises to need no network, so it does not look at the index either.
        if (run.request().archives() != null) {
            return "";
        }
        try {
            Map<String, String> present = client.published(name, version);
            long identical = files.stream().filter(f -> f.sha256().equals(present.get(f.name()))).count();
            long conflicting = files.stream().filter(f -> present.containsKey(f.name())
                    && !f.sha256().equals(present.get(f.name()))).count();
            return "; the index holds " + identical + " of them already" + (conflicting > 0 ? ", and " + conflicting
                    + " with different content: a real release would stop" : "");
        } catch (RuntimeException e) {
            return "; could not look at the index: " + e.getMessage();
        }
    }

    private List<Artifact> files(ReleaseRun run) {
        return run.artifacts().stream()
                .filter(a -> a.kind().equals("wheel") || (a.kind().equals("sdist") && client.settings().uploadSdist()))
                .sorted(Comparator.comparing((Artifact a) -> a.kind().equals("sdist")).thenComparing(Artifact::name))
                .toList();
    }

    /** The index's words from an error body: JSON "message", else the text of an HTML page, kept short. */
    static String message(String body) {
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            try {
                text = PypiClient.parse(text).path("message").asText(text);
            } catch (PypiException e) {
                // not JSON after all; fall through to the text
            }
        }
        text = text.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]+>", " ")
                .replace("&#x27;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&").replaceAll("\\s+", " ").strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static PypiException conflict(Artifact file, String remoteSha) {
        return new PypiException(400, "the index already holds " + file.name() + " with different content (sha256 "
                + remoteSha + ", built " + file.sha256() + "); a published file can never be replaced, release a new version");
    }
}
