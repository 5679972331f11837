package io.sochdb.release.sdist;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Date;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.packaging.CoreMetadata;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.sdk.SourceFile;
import io.sochdb.release.sdk.VersionStamp;

/**
 * Builds the source distribution: Python sources, pyproject.toml, readme and license under one top folder.
 * It never holds a binary; the SDK project has already left compiled files and the release-owned folders out.
 */
public final class SdistBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(SdistBuilder.class);

    public static String sdistName(BuildContext build) {
        return topFolder(build) + ".tar.gz";
    }

    private static String topFolder(BuildContext build) {
        return build.sdk().metadata().name().filenameForm() + "-" + build.version().wheelFilenameForm();
    }

    /** The sdist step of a release. */
    public void buildFor(ReleaseRun run) throws IOException {
        Artifact artifact = build(run.plan().build());
        run.artifact(artifact);
        run.detail(artifact.name());
    }

    public Artifact build(BuildContext build) throws IOException {
        String name = sdistName(build);
        Path partial = build.staging().resolve(name + ".part");
        Path target = build.staging().resolve(name);
        SdkProject sdk = build.sdk();
        String version = build.version().canonical();
        String top = topFolder(build) + "/";
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                 GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file, gzipParameters());
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                Date mtime = Date.from(build.date().instant());
                add(tar, top + "PKG-INFO", CoreMetadata.render(sdk.metadata(), build.version()).getBytes(StandardCharsets.UTF_8), mtime);
                String pyproject = Files.readString(sdk.pyproject(), StandardCharsets.UTF_8);
                add(tar, top + "pyproject.toml", VersionStamp.pyproject(pyproject, version).getBytes(StandardCharsets.UTF_8), mtime);
                for (SourceFile source : sdk.sdistExtras()) {
                    add(tar, top + source.projectPath(), sdk.content(source, version, build.sochdbVersion()), mtime);
                }
                tar.finish();
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        Artifact artifact = new Artifact(name, "sdist", null, Files.size(target), Digests.sha256Hex(target), target);
        LOG.info("Built {} ({} bytes)", name, artifact.size());
        return artifact;
    }

    /** No file name and a zero time in the gzip header: both would make equal inputs give different bytes. */
    private static GzipParameters gzipParameters() {
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(9);
        parameters.setModificationTime(0);
        parameters.setOperatingSystem(3);
        return parameters;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content, Date mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(0100644);
        entry.setModTime(mtime);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
