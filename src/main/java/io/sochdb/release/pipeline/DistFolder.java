package io.sochdb.release.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.files.TextFiles;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.ReleasePlan;
import io.sochdb.release.run.ReleaseRun;

/**
 * The outputs step. Files are built in a staging folder inside the dist folder and moved into place only when the
 * whole set is built, so a failed release never leaves a wheel or a partial file behind.
 */
public final class DistFolder {

    public static final String CHECKSUMS = "SHA256SUMS";
    private static final Logger LOG = LoggerFactory.getLogger(DistFolder.class);
    private final TextFiles files;

    public DistFolder(TextFiles files) {
        this.files = files;
    }

    public void commit(ReleaseRun run) throws IOException {
        BuildContext build = run.plan().build();
        Path dist = run.request().dist().toAbsolutePath().normalize();
        List<Artifact> built = new ArrayList<>(run.artifacts());
        built.sort(Comparator.comparing(Artifact::name));
        requireSameAsBefore(run, built);
        built.add(writeChecksums(build.staging(), built));
        List<Artifact> moved = new ArrayList<>();
        for (Artifact artifact : built) {
            Path target = dist.resolve(artifact.name());
            Files.move(artifact.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved.add(artifact.movedTo(target));
        }
        run.replaceArtifacts(moved);
        run.detail(moved.size() + " files in " + dist);
        LOG.info("Wrote {} files to {}", moved.size(), dist);
    }

    /**
     * A resumed run may already have published what its first attempt built; it must publish the same bytes, or
     * GitHub and PyPI would hold two versions of one file name.
     */
    private static void requireSameAsBefore(ReleaseRun run, List<Artifact> built) {
        Map<String, String> before = run.expectedDigests();
        List<String> differing = new ArrayList<>();
        for (Artifact artifact : built) {
            String expected = before.get(artifact.name());
            if (expected != null && !expected.equals(artifact.sha256())) {
                differing.add(artifact.name() + " (sha256 " + artifact.sha256() + ", the interrupted attempt built "
                        + expected + ")");
            }
        }
        if (!differing.isEmpty()) {
            throw new ReleaseFailedException("the resumed run rebuilt different files than its interrupted attempt: "
                    + String.join("; ", differing) + "; the inputs changed (upstream archives, configuration or "
                    + "SOURCE_DATE_EPOCH differ between replicas?)");
        }
    }

    /** Removes the staging folder and whatever a failed build left in it. */
    public void cleanup(ReleaseRun run) throws IOException {
        ReleasePlan plan = run.plan();
        if (plan == null || !Files.exists(plan.build().staging())) {
            return;
        }
        try (Stream<Path> files = Files.walk(plan.build().staging())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** {@code sha256sum -c} format: hash, two spaces, file name. */
    private Artifact writeChecksums(Path staging, List<Artifact> artifacts) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Artifact artifact : artifacts) {
            text.append(artifact.sha256()).append("  ").append(artifact.name()).append('\n');
        }
        Path file = staging.resolve(CHECKSUMS);
        files.write(file, text.toString());
        return new Artifact(CHECKSUMS, "checksums", null, Files.size(file), Digests.sha256Hex(file), file);
    }
}
