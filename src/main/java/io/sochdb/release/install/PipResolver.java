package io.sochdb.release.install;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.sochdb.release.packaging.Digests;
import io.sochdb.release.release.Artifact;

/**
 * One cell of the matrix: asks pip to download the release for one platform tag and one Python version, as a
 * user's pip on that platform would resolve it, and checks it picked exactly our wheel with our bytes.
 */
final class PipResolver {

    /** Where pip looks: {@code --index-url …}, or {@code --no-index --find-links …} for the local files. */
    record Source(String description, List<String> pipArguments, boolean remote) {

        /**
         * pip ignores an index served over plain http unless it is on this machine or named with
         * {@code --trusted-host}; a private index inside a cluster often is plain http, and PYPI_URL naming it is the
         * operator's trust.
         */
        static Source index(String simpleUrl) {
            List<String> arguments = new ArrayList<>(List.of("--index-url", simpleUrl));
            URI uri = URI.create(simpleUrl);
            if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && !loopback(uri.getHost())) {
                arguments.addAll(List.of("--trusted-host", uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort()
                        : uri.getHost()));
            }
            return new Source(simpleUrl, List.copyOf(arguments), true);
        }

        private static boolean loopback(String host) {
            String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return name.equalsIgnoreCase("localhost") || name.startsWith("127.") || name.equals("::1");
        }

        static Source local(Path folder) {
            return new Source("the built files (no index)", List.of("--no-index", "--find-links", folder.toString()),
                    false);
        }
    }

    private final PythonProcess processes;

    PipResolver(PythonProcess processes) {
        this.processes = processes;
    }

    InstallMatrix.Cell resolve(HostPython python, Source source, String requirement, String platformTag,
            String pythonVersion, Artifact expected, Path workDir) throws IOException {
        Path downloads = Files.createDirectories(workDir.resolve("downloads"));
        List<String> command = new ArrayList<>(List.of(python.executable(), "-I", "-m", "pip", "download", "--isolated",
                "--disable-pip-version-check", "--no-cache-dir", "--no-input", "--retries", "2", "-vv",
                "--no-deps", "--only-binary=:all:", "--platform", platformTag, "--python-version", pythonVersion,
                "-d", downloads.toString()));
        command.addAll(source.pipArguments());
        command.add(requirement);
        PythonProcess.Result result = processes.run(command, workDir);
        if (result.timedOut()) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.ERROR, "pip took longer than "
                    + processes.timeout().toSeconds() + " s");
        }
        if (result.ok()) {
            return judge(downloads, expected, source);
        }
        return failure(result, expected, pythonVersion, platformTag);
    }

    private static InstallMatrix.Cell judge(Path downloads, Artifact expected, Source source) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(downloads)) {
            files = listing.toList();
        }
        if (files.size() != 1 || !files.get(0).getFileName().toString().equals(expected.name())) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.WRONG_FILE, "pip picked "
                    + String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList()) + " instead of "
                    + expected.name());
        }
        String sha256 = Digests.sha256Hex(files.get(0));
        if (!sha256.equals(expected.sha256())) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.MISMATCH, (source.remote() ? "the index serves " : "pip found ")
                    + expected.name() + " with sha256 " + sha256 + ", but the built file has " + expected.sha256());
        }
        return InstallMatrix.Cell.ok();
    }

    /** Reads pip's reasons; the verbose lines name the file it skipped and why. */
    private static InstallMatrix.Cell failure(PythonProcess.Result result, Artifact expected, String pythonVersion,
            String platformTag) {
        String output = result.output();
        if (output.contains("THESE PACKAGES DO NOT MATCH THE HASHES")) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.MISMATCH, "the index's sha256 for " + expected.name()
                    + " does not match the file it serves");
        }
        for (String line : output.lines().toList()) {
            if (line.contains("Skipping link") && line.contains(expected.name()) && line.contains("tags")) {
                return new InstallMatrix.Cell(InstallMatrix.Cell.INCOMPATIBLE, "pip finds " + expected.name()
                        + " but its tags do not fit " + platformTag + " with Python " + pythonVersion);
            }
        }
        if (output.contains("requires a different Python") || output.contains("require a different python version")) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.INCOMPATIBLE, expected.name()
                    + "'s Requires-Python excludes Python " + pythonVersion);
        }
        if (output.contains("No matching distribution found") || output.contains("Could not find a version")) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.NOT_FOUND, "pip finds no " + expected.name());
        }
        return new InstallMatrix.Cell(InstallMatrix.Cell.ERROR, "pip failed: " + result.lastError());
    }
}
