package io.sochdb.release.wheel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.archive.BadArchiveException;
import io.sochdb.release.archive.DeflatedEntry;
import io.sochdb.release.compliance.ComplianceException;
import io.sochdb.release.compliance.ComplianceGate;
import io.sochdb.release.compliance.ComplianceReport;
import io.sochdb.release.compliance.InspectedBinary;
import io.sochdb.release.compliance.PlatformTag;
import io.sochdb.release.compliance.Spool;
import io.sochdb.release.packaging.CoreMetadata;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.packaging.ProjectMetadata;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.sdk.SourceFile;

/**
 * Builds one platform wheel: the SDK's packages, then the binaries streamed straight from the upstream archive into
 * {@code <package>/_bin/<triple>/} and {@code <package>/lib/<triple>/}, then .dist-info. Nothing is extracted to disk
 * and no file is held in memory, so the heap stays flat whatever the archive size.
 *
 * <p>Entries of an upstream zip that are already deflated are copied as they are, not inflated and deflated again:
 * they are inflated once only, to hash them for RECORD and to check them against their CRC.
 *
 * <p>Each binary is also spooled to the staging folder as it streams, so the compliance gate can read its headers;
 * the gate decides the tag (or refuses the wheel) before WHEEL and RECORD are written, and the file is named last.
 */
public final class WheelBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(WheelBuilder.class);

    private final ArchiveReader archives;
    private final String binaryPackage;
    private final String generator;
    private final int compressionLevel;
    private final ComplianceGate gate;

    private final boolean copyDeflated;

    public WheelBuilder(ArchiveReader archives, String binaryPackage, String generator, int compressionLevel) {
        this(archives, binaryPackage, generator, compressionLevel, ComplianceGate.standard(), true);
    }

    public WheelBuilder(ArchiveReader archives, String binaryPackage, String generator, int compressionLevel,
            ComplianceGate gate) {
        this(archives, binaryPackage, generator, compressionLevel, gate, true);
    }

    /**
     * @param copyDeflated take the compressed bytes of entries that upstream's zip already deflated as they are
     *                     (their RECORD hash is still of the inflated content), instead of deflating them again
     */
    public WheelBuilder(ArchiveReader archives, String binaryPackage, String generator, int compressionLevel,
            ComplianceGate gate, boolean copyDeflated) {
        this.archives = archives;
        this.binaryPackage = binaryPackage;
        this.generator = generator;
        this.compressionLevel = compressionLevel;
        this.gate = gate;
        this.copyDeflated = copyDeflated;
    }

    public static String wheelName(BuildContext build, String tag) {
        return distributionPrefix(build) + "-py3-none-" + tag + ".whl";
    }

    private static String distributionPrefix(BuildContext build) {
        return build.sdk().metadata().name().filenameForm() + "-" + build.version().wheelFilenameForm();
    }

    public WheelOutcome build(WheelJob job) throws IOException {
        BuildContext build = job.build();
        Platform platform = job.platform();
        // The tag, and so the name, is known only once the binaries are read: build under a tag-free name.
        Path partial = build.staging().resolve(distributionPrefix(build) + "-" + platform.triple() + ".whl.part");
        Path spoolFile = build.staging().resolve(distributionPrefix(build) + "-" + platform.triple() + ".binary.part");
        LOG.info("Building the {} wheel from {}", platform.triple(), job.archiveName());
        try (Spool spool = new Spool(spoolFile)) {
            Binaries binaries;
            ComplianceReport compliance;
            try (WheelWriter wheel = new WheelWriter(partial, build.date().utcDateTime(), compressionLevel)) {
                writePackages(wheel, build);
                binaries = writeBinaries(wheel, job, spool);
                compliance = gate.decide(platform.triple(), platform.tag(), binaries.inspected(),
                        Set.copyOf(platform.libraries()));
                if (!compliance.passed()) {
                    throw new ComplianceException(wheelLabel(build, platform), compliance);
                }
                writeDistInfo(wheel, build, compliance.tag());
            }
            String name = wheelName(build, compliance.tag());
            Path target = build.staging().resolve(name);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Artifact artifact = new Artifact(name, "wheel", platform.triple(), Files.size(target), Digests.sha256Hex(target), target);
            LOG.info("Built {} ({} bytes, {} binaries; tag {}: {})", name, artifact.size(), binaries.written().size(),
                    compliance.tag(), compliance.reason());
            return new WheelOutcome(platform, job.archiveName(), artifact, binaries.written(),
                    binaries.leftOut(), null, compliance);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The wheel's file name for a configured tag; for {@code auto}, which platform it was meant for. */
    private static String wheelLabel(BuildContext build, Platform platform) {
        return PlatformTag.AUTO.equals(platform.tag())
                ? distributionPrefix(build) + " wheel for " + platform.triple() + " (tag auto)"
                : wheelName(build, platform.tag());
    }

    /** Turns a failure of {@link #build} into the platform's outcome, so the other platforms carry on. */
    public WheelOutcome failed(WheelJob job, Exception error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        LOG.error("Wheel for {} failed: {}", job.platform().triple(), message);
        ComplianceReport compliance = error instanceof ComplianceException refused ? refused.report() : null;
        return new WheelOutcome(job.platform(), job.archiveName(), null, List.of(), List.of(), message, compliance, error);
    }

    private void writePackages(WheelWriter wheel, BuildContext build) throws IOException {
        SdkProject sdk = build.sdk();
        for (SourceFile file : sdk.packageFiles()) {
            byte[] content = sdk.content(file, build.version().canonical(), build.sochdbVersion());
            wheel.write(file.packagePath(), new ByteArrayInputStream(content), false);
        }
    }

    private record Binaries(List<String> written, List<String> leftOut, List<InspectedBinary> inspected) {
    }

    private Binaries writeBinaries(WheelWriter wheel, WheelJob job, Spool spool) {
        Platform platform = job.platform();
        String archive = job.archiveName();
        String triple = platform.triple();
        Map<String, String> wanted = new LinkedHashMap<>();
        platform.executables().forEach(f -> wanted.put(f, binaryPackage + "/_bin/" + triple + "/" + f));
        platform.libraries().forEach(f -> wanted.put(f, binaryPackage + "/lib/" + triple + "/" + f));
        Map<String, String> foundAt = new LinkedHashMap<>();
        List<String> written = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        List<InspectedBinary> inspected = new ArrayList<>();
        archives.read(job.archive(), new ArchiveReader.Visitor() {
            @Override
            public void file(String entry, InputStream content) throws IOException {
                take(entry, content, null);
            }

            @Override
            public void deflatedFile(String entry, InputStream content, DeflatedEntry deflated) throws IOException {
                take(entry, content, copyDeflated ? deflated : null);
            }

            /** With {@code deflated}, upstream's compressed bytes go into the wheel as they are. */
            private void take(String entry, InputStream content, DeflatedEntry deflated) throws IOException {
                String file = fileOf(entry, triple);
                if (file == null || !wanted.containsKey(file)) {
                    LOG.info("Leaving out {} from {}: not a configured executable or library of {}", entry, archive, triple);
                    leftOut.add(entry);
                    return;
                }
                String previous = foundAt.putIfAbsent(file, entry);
                if (previous != null) {
                    throw new BadArchiveException(archive + " holds " + file + " twice (" + previous + " and " + entry
                            + "); cannot tell which one to ship");
                }
                String path = wanted.get(file);
                boolean executable = platform.executables().contains(file);
                try (InputStream copy = spool.capture(content)) {
                    if (deflated != null) {
                        wheel.copyDeflated(path, copy, deflated, executable);
                    } else {
                        wheel.write(path, copy, executable);
                    }
                }
                inspected.add(new InspectedBinary(file, spool.inspect()));
                written.add(path);
            }
        });
        List<String> missing = wanted.keySet().stream().filter(f -> !foundAt.containsKey(f)).toList();
        if (!missing.isEmpty()) {
            throw new BadArchiveException(archive + " lacks " + String.join(", ", missing) + " (looked in " + triple
                    + "/ and the top level)");
        }
        return new Binaries(List.copyOf(written), List.copyOf(leftOut), List.copyOf(inspected));
    }

    /** The file name when the entry sits in {@code <triple>/} or at the top level, else null. */
    private static String fileOf(String entry, String triple) {
        String rest = entry.startsWith(triple + "/") ? entry.substring(triple.length() + 1) : entry;
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }

    private void writeDistInfo(WheelWriter wheel, BuildContext build, String tag) throws IOException {
        SdkProject sdk = build.sdk();
        ProjectMetadata project = sdk.metadata();
        String distInfo = distributionPrefix(build) + ".dist-info";
        wheel.write(distInfo + "/METADATA", CoreMetadata.render(project, build.version()));
        wheel.write(distInfo + "/WHEEL", DistInfo.wheelFile(generator, tag));
        String entryPoints = DistInfo.entryPoints(project);
        if (entryPoints != null) {
            wheel.write(distInfo + "/entry_points.txt", entryPoints);
        }
        for (String license : project.licenseFiles()) {
            try (InputStream in = Files.newInputStream(sdk.root().resolve(license))) {
                wheel.write(distInfo + "/" + CoreMetadata.licenseFolder(project) + license, in, false);
            }
        }
        wheel.finish(distInfo);
    }
}
