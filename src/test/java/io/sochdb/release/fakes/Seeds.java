package io.sochdb.release.fakes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.sochdb.release.fixtures.Fixtures;

/** Puts what a release reads from GitHub into a {@link FakeGitHub}: the upstream release and the SDK tarball. */
public final class Seeds {

    public static final String UPSTREAM = "sochdb/sochdb";
    public static final String SDK = "sochdb/sochdb-python-sdk";

    private Seeds() {
    }

    /** A published upstream release {@code v<version>} with the archives of all five platforms; returns its id. */
    public static long upstreamRelease(FakeGitHub fake, Path work, String version) throws IOException {
        return upstreamRelease(fake, work, version, Fixtures.DEFAULT_TRIPLES);
    }

    /** A published upstream release {@code v<version>} with the archives of the given platforms only. */
    public static long upstreamRelease(FakeGitHub fake, Path work, String version, List<String> triples) throws IOException {
        Path archives = Fixtures.platformArchives(Files.createTempDirectory(work, "archives"), version, triples);
        long release = fake.addRelease(UPSTREAM, "v" + version, false);
        try (Stream<Path> files = Files.list(archives)) {
            for (Path archive : files.sorted().toList()) {
                fake.addAsset(UPSTREAM, release, archive.getFileName().toString(), archive);
            }
        }
        return release;
    }

    /** The SDK repository with the fixture SDK as its tarball at {@code main}. */
    public static void sdkTarball(FakeGitHub fake, Path work, String sha) throws IOException {
        Path sdk = Fixtures.sdkSource(Files.createTempDirectory(work, "sdk"));
        Map<String, byte[]> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(sdk)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                tree.put(sdk.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        fake.addTarball(SDK, "main", sha, GitHubTarball.of(SDK, sha, tree));
        fake.addRepo(SDK);
    }
}
