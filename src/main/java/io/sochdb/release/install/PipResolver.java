package io.sochdb.release.install;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sochdb.release.install.report.InstallMatrix;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.Artifact;

/**
 * The cells of the matrix: for each platform tag and Python version, which file pip, as a user's pip on that
 * platform would, resolves {@code name==version} to, and whether that is exactly our wheel with our bytes. All cells
 * run in one Python process that drives pip's own finder (resolve_cells.py); a pip whose internals that script does
 * not know gets the old way, one {@code pip download} per cell.
 */
final class PipResolver {

    /** Where pip looks: {@code --index-url …}, or {@code --no-index --find-links …} for the local files. */
    record Source(String description, List<String> pipArguments, boolean remote) {

        /** Nothing to look in: pip installs only what it is given as a file. */
        static final Source NONE = new Source("no index", List.of("--no-index"), false);

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

    /** One cell: pip for {@code platformTag} and Python {@code python} must pick exactly {@code expected}. */
    record CellJob(String triple, String platformTag, String python, Artifact expected) {
        String id() {
            return triple + " " + python;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PipResolver.class);
    private static final String CELLS = PythonProcess.script("resolve_cells.py");

    private final ObjectMapper json = new ObjectMapper();
    private final PythonProcess processes;
    private final int parallelism;
    /** Set once a pip's internals turned out to be other than the batch script knows: then a process per cell. */
    private volatile String perCellBecause;

    PipResolver(PythonProcess processes, int parallelism, boolean oneProcess) {
        this.processes = processes;
        this.parallelism = parallelism;
        this.perCellBecause = oneProcess ? null : "a process per cell was asked for";
    }

    /** Every cell's outcome by {@link CellJob#id()}, in one pip process when this pip allows it. */
    Map<String, InstallMatrix.Cell> resolve(HostPython python, Source source, String project, String version,
            List<CellJob> cells, Path workDir) throws IOException {
        if (perCellBecause == null) {
            Optional<Map<String, InstallMatrix.Cell>> batch = inOneProcess(python, source, project, version, cells,
                    workDir);
            if (batch.isPresent()) {
                return batch.get();
            }
        }
        return eachInItsOwnProcess(python, source, project + "==" + version, cells, workDir);
    }

    /** The common part of every pip command line that resolves a cell, whichever way it runs. */
    private static List<String> pipArguments(Source source) {
        List<String> arguments = new ArrayList<>(List.of("--isolated", "--disable-pip-version-check", "--no-cache-dir",
                "--no-input", "--retries", "2", "--no-deps", "--only-binary=:all:"));
        arguments.addAll(source.pipArguments());
        return arguments;
    }

    private Optional<Map<String, InstallMatrix.Cell>> inOneProcess(HostPython python, Source source, String project,
            String version, List<CellJob> cells, Path workDir) throws IOException {
        Path downloads = Files.createDirectories(workDir.resolve("downloads"));
        ObjectNode job = json.createObjectNode();
        pipArguments(source).forEach(job.putArray("pip_args")::add);
        job.put("requirement", project + "==" + version).put("project", project).put("version", version)
                .put("downloads", downloads.toString());
        ArrayNode list = job.putArray("cells");
        cells.forEach(c -> list.addObject().put("id", c.id()).put("platform", c.platformTag()).put("python", c.python()));
        Path jobFile = workDir.resolve("cells.json");
        json.writeValue(jobFile.toFile(), job);
        // It downloads each wheel once where a process per cell had the timeout for each: one timeout per wheel.
        Duration limit = processes.timeout().multipliedBy(cells.stream().map(c -> c.expected().name()).distinct().count());
        PythonProcess.Result result = processes.run(List.of(python.executable(), "-I", "-c", CELLS, jobFile.toString()),
                workDir, limit);
        Map<String, InstallMatrix.Cell> outcome = new LinkedHashMap<>();
        if (result.timedOut()) {
            cells.forEach(c -> outcome.put(c.id(), new InstallMatrix.Cell(InstallMatrix.Cell.ERROR, "pip took longer than "
                    + limit.toSeconds() + " s")));
            return Optional.of(outcome);
        }
        String line = result.output().lines().filter(l -> l.startsWith("CELLS ")).reduce((a, b) -> b).orElse(null);
        JsonNode answer = line == null ? null : json.readTree(line.substring("CELLS ".length()));
        if (answer == null || answer.has("unsupported")) {
            perCellBecause = answer == null ? result.lastError() : answer.path("unsupported").asText();
            LOG.info("Resolving each install-proof cell in its own pip process: {} ({})", perCellBecause,
                    python.describe());
            return Optional.empty();
        }
        for (CellJob cell : cells) {
            outcome.put(cell.id(), judge(answer.path("cells").path(cell.id()), cell, source));
        }
        return Optional.of(outcome);
    }

    /** What pip's answer for one cell means for the wheel it should have picked. */
    private static InstallMatrix.Cell judge(JsonNode answer, CellJob cell, Source source) {
        Artifact expected = cell.expected();
        if (answer.isMissingNode() || answer.hasNonNull("error")) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.ERROR, "pip failed: "
                    + answer.path("error").asText("no answer"));
        }
        String picked = answer.path("picked").textValue();
        if (picked == null) {
            for (JsonNode passed : answer.path("passed_over")) {
                if (passed.path("file").asText().equals(expected.name())) {
                    String detail = passed.path("detail").asText();
                    return new InstallMatrix.Cell(InstallMatrix.Cell.INCOMPATIBLE, passed.path("requires_python")
                            .asBoolean() || detail.contains("requires a different Python")
                                    ? expected.name() + "'s Requires-Python excludes Python " + cell.python()
                                    : detail.contains("tags") ? "pip finds " + expected.name()
                                            + " but its tags do not fit " + cell.platformTag() + " with Python "
                                            + cell.python() : "pip passes " + expected.name() + " over: " + detail);
                }
            }
            return new InstallMatrix.Cell(InstallMatrix.Cell.NOT_FOUND, "pip finds no " + expected.name());
        }
        if (!picked.equals(expected.name())) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.WRONG_FILE, "pip picked " + picked + " instead of "
                    + expected.name());
        }
        String sha256 = answer.path("sha256").textValue();
        String advertised = answer.path("index_sha256").textValue();
        if (advertised != null && !advertised.equals(sha256)) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.MISMATCH, "the index's sha256 for " + expected.name()
                    + " does not match the file it serves");
        }
        return sameBytes(expected, sha256, source);
    }

    private static InstallMatrix.Cell sameBytes(Artifact expected, String sha256, Source source) {
        if (sha256 == null) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.ERROR, "could not read " + expected.name());
        }
        if (!sha256.equals(expected.sha256())) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.MISMATCH, (source.remote() ? "the index serves "
                    : "pip found ") + expected.name() + " with sha256 " + sha256 + ", but the built file has "
                    + expected.sha256());
        }
        return InstallMatrix.Cell.ok();
    }

    /** The way that works with any pip: {@code pip download} per cell, {@code parallelism} at once. */
    private Map<String, InstallMatrix.Cell> eachInItsOwnProcess(HostPython python, Source source, String requirement,
            List<CellJob> cells, Path workDir) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread thread = new Thread(r, "install-proof");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<String, Future<InstallMatrix.Cell>> running = new LinkedHashMap<>();
            int n = 0;
            for (CellJob cell : cells) {
                Path cellDir = workDir.resolve("cell-" + n++);
                running.put(cell.id(), pool.submit(() -> download(python, source, requirement, cell, cellDir)));
            }
            Map<String, InstallMatrix.Cell> outcome = new LinkedHashMap<>();
            for (Map.Entry<String, Future<InstallMatrix.Cell>> cell : running.entrySet()) {
                outcome.put(cell.getKey(), await(cell.getValue()));
            }
            return outcome;
        } finally {
            pool.shutdownNow();
        }
    }

    private InstallMatrix.Cell download(HostPython python, Source source, String requirement, CellJob cell,
            Path workDir) throws IOException {
        Path downloads = Files.createDirectories(workDir.resolve("downloads"));
        List<String> command = new ArrayList<>(List.of(python.executable(), "-I", "-m", "pip", "download", "-vv",
                "--platform", cell.platformTag(), "--python-version", cell.python(), "-d", downloads.toString()));
        command.addAll(pipArguments(source));
        command.add(requirement);
        PythonProcess.Result result = processes.run(command, workDir);
        if (result.timedOut()) {
            return new InstallMatrix.Cell(InstallMatrix.Cell.ERROR, "pip took longer than "
                    + processes.timeout().toSeconds() + " s");
        }
        if (result.ok()) {
            return judge(downloads, cell.expected(), source);
        }
        return failure(result, cell.expected(), cell.python(), cell.platformTag());
    }

    private static InstallMatrix.Cell await(Future<InstallMatrix.Cell> cell) throws IOException {
        try {
            return cell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while proving the install", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("the install proof failed: " + e.getCause().getMessage(), e.getCause());
        }
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
        return sameBytes(expected, Digests.sha256Hex(files.get(0)), source);
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
