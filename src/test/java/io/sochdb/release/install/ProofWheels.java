package io.sochdb.release.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.wheel.WheelBuilder;

/** What the proof is given in a release: real wheels of version 0.3.2, made by the production builder from fixture archives. */
final class ProofWheels {

    private ProofWheels() {
    }

    static List<Target> build(Path work, Path sdk, List<Platform> platforms) throws IOException {
        BuildContext build = new BuildContext(Version.parse("0.3.2"), "0.3.2", SdkProject.load(sdk, "sochdb"),
            Files.createDirectories(work.resolve("staging")), new SourceDate(SourceDate.DEFAULT));
        WheelBuilder builder = new WheelBuilder(new ArchiveReader(new ArchiveLimits(1L << 30, 3L << 30, 10_000)), "sochdb",
            "test", 6);
        List<Target> built = new ArrayList<>();
        Path kept = Files.createDirectories(work.resolve("wheels"));
        for (Platform platform : platforms) {
            Path archive = Fixtures.platformArchive(work.resolve("upstream"), "0.3.2", platform.triple(), ArchiveOptions.defaults());
            Artifact wheel = builder.build(new WheelJob(platform, archive, build)).wheel();
            Path file = Files.move(wheel.path(), kept.resolve(wheel.name()));
            built.add(new Target(platform.triple(), platform.tag(), platform.executables().stream()
                .map(e -> "sochdb/_bin/" + platform.triple() + "/" + e).toList(), wheel.movedTo(file)));
        }
        return List.copyOf(built);
    }
}
