package io.sochdb.release.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.RemoteArchive;
import io.sochdb.release.run.WheelJob;

/**
 * Downloads upstream archives into a cache folder and checks them: the size GitHub states, and its sha256 digest
 * when it gives one. A file that fails is deleted. A verified file is kept, with its digest beside it, and reused
 * by later runs after the same checks.
 */
public final class ArchiveCache {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCache.class);

    private final GitHubClient github;
    private final Path folder;

    public ArchiveCache(GitHubClient github, Path folder) {
        this.github = github;
        this.folder = folder;
    }

    public WheelJob fetch(WheelJob job) throws IOException {
        return fetch(job, null);
    }

    /** The wheel route's download step; a job with a local archive passes through unchanged. */
    public WheelJob fetch(WheelJob job, ReleaseRun run) throws IOException {
        RemoteArchive remote = job.remote();
        if (remote == null) {
            return job;
        }
        Path dir = Files.createDirectories(folder.resolve(remote.repo().replace('/', '_')));
        Path file = dir.resolve(remote.name());
        Path digestFile = dir.resolve(remote.name() + ".sha256");
        if (Files.isRegularFile(file) && Files.isRegularFile(digestFile)) {
            String recorded = Files.readString(digestFile, StandardCharsets.US_ASCII).strip();
            if (Files.size(file) == remote.size() && (remote.sha256() == null || remote.sha256().equals(recorded))
                    && Digests.sha256Hex(file).equals(recorded)) {
                LOG.info("Using cached {}", remote.name());
                return job.withArchive(file);
            }
            LOG.warn("Cached {} does not match the release asset; downloading it again", remote.name());
        }
        Path partial = dir.resolve(remote.name() + ".part");
        try {
            LOG.info("Downloading {} ({} bytes)", remote.name(), remote.size());
            github.downloadAsset(remote.repo(), remote.assetId(), partial);
            long size = Files.size(partial);
            if (size != remote.size()) {
                throw new ReleaseFailedException("Download of " + remote.name() + " is " + size + " bytes, but GitHub states "
                        + remote.size() + "; the file was deleted");
            }
            String sha256 = Digests.sha256Hex(partial);
            if (remote.sha256() != null && !remote.sha256().equals(sha256)) {
                throw new ReleaseFailedException("Download of " + remote.name() + " has sha256 " + sha256
                        + ", but GitHub states " + remote.sha256() + "; the file was deleted");
            }
            if (run != null) {
                run.downloaded(size);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(digestFile, sha256 + "\n", StandardCharsets.US_ASCII);
            return job.withArchive(file);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
