package io.sochdb.release.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.archive.BadArchiveException;
import io.sochdb.release.github.GitHubClient;

/**
 * The SDK source when no {@code --sdk-source} is given: the GitHub tarball of {@code SDK_REPO} at {@code SDK_REF},
 * resolved to a commit first so that the summary can say exactly what was packaged, and unpacked with the same
 * checks as any archive.
 */
public final class SdkDownload {

    /** The unpacked tree and the commit it came from. */
    public record Fetched(Path root, String commit) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SdkDownload.class);

    private final GitHubClient github;
    private final ArchiveReader reader;
    private final Path cache;

    public SdkDownload(GitHubClient github, ArchiveReader reader, Path cache) {
        this.github = github;
        this.reader = reader;
        this.cache = cache;
    }

    public Fetched fetch(String repo, String ref) throws IOException {
        String commit = github.commitSha(repo, ref);
        // Absolute and normal, so that the containment check below compares like with like.
        Path base = Files.createDirectories(cache.resolve("sdk").resolve(repo.replace('/', '_'))).toAbsolutePath().normalize();
        Path root = base.resolve(commit);
        Path complete = base.resolve(commit + ".complete");
        if (Files.isRegularFile(complete) && Files.isDirectory(root)) {
            LOG.info("Using cached source of {} at {}", repo, commit);
            return new Fetched(root, commit);
        }
        Path tarball = base.resolve(commit + ".tar.gz.part");
        try {
            LOG.info("Downloading the source of {} at {} ({})", repo, ref, commit);
            github.downloadTarball(repo, commit, tarball);
            deleteTree(root);
            Files.createDirectories(root);
            reader.read(tarball, (name, content) -> {
                // GitHub puts everything under one folder named after the repository and commit.
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    return;
                }
                Path target = root.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(root)) {
                    throw new BadArchiveException("the source tarball of " + repo + " holds " + name + ", outside its folder");
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    content.transferTo(out);
                }
            });
            Files.writeString(complete, commit + "\n");
            return new Fetched(root, commit);
        } finally {
            Files.deleteIfExists(tarball);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
