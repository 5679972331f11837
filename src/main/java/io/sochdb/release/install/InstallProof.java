package io.sochdb.release.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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

import io.sochdb.release.release.Artifact;
import io.sochdb.release.release.ReleaseFailedException;
import io.sochdb.release.release.ReleaseRun;
import io.sochdb.release.release.WheelJob;
import io.sochdb.release.release.WheelOutcome;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.sdk.VersionStamp;

/**
 * The install-proof step: a release only succeeds when pip, on every platform and Python version it promises,
 * resolves {@code name==version} to exactly the wheel that was built, and when it installs and imports on this
 * host. After publishing pip asks the index; a dry run asks the built files and nothing else (no network).
 */
public final class InstallProof {

    public static final String STEP = "install-proof";
    private static final Logger LOG = LoggerFactory.getLogger(InstallProof.class);

    /** What is being proven, taken from the run so that tests can prove hand-made wheels too. */
    record Candidate(String distribution, String version, String coreVersion, List<Target> targets, boolean local) {
    }

    private final InstallSettings settings;
    private final PythonProcess processes;
    private final PipResolver resolver;
    private final SmokeTest smoke;

    public InstallProof(InstallSettings settings) {
        this.settings = settings;
        this.processes = new PythonProcess(settings.timeout());
        this.resolver = new PipResolver(processes);
        this.smoke = new SmokeTest(processes);
    }

    public void prove(ReleaseRun run) throws IOException {
        if (settings.mode() == InstallSettings.Mode.OFF) {
            record(run, InstallReport.skipped("skipped: VERIFY_INSTALL=off"));
            return;
        }
        InstallReport report = prove(release(run));
        record(run, report);
        if (report.state().equals("failed")) {
            throw new ReleaseFailedException(report.detail());
        }
    }

    InstallReport prove(Candidate release) throws IOException {
        Path work = Files.createTempDirectory("install-proof-");
        try {
            Optional<HostPython> python = HostPython.find(settings.python(), processes, work);
            if (python.isEmpty()) {
                String why = "no python3 with pip found (VERIFY_INSTALL_PYTHON=" + settings.python() + ")";
                if (settings.mode() == InstallSettings.Mode.REQUIRED) {
                    return new InstallReport("failed", "VERIFY_INSTALL=required, but " + why, null, null, null, null);
                }
                return InstallReport.skipped("skipped: " + why);
            }
            PipResolver.Source source = release.local() ? PipResolver.Source.local(links(release, work))
                    : PipResolver.Source.index(settings.indexUrl());
            String requirement = release.distribution() + "==" + release.version();
            InstallMatrix matrix = matrix(python.get(), source, requirement, release, work);
            SmokeResult smoked = matrix.failures().isEmpty()
                    ? smoke(python.get(), source, requirement, release, work)
                    : SmokeResult.skipped("not run: pip does not resolve every cell");
            return report(python.get(), source, matrix, smoked);
        } finally {
            delete(work);
        }
    }

    private InstallMatrix matrix(HostPython python, PipResolver.Source source, String requirement, Candidate release,
            Path work) throws IOException {
        Map<String, Map<String, InstallMatrix.Cell>> cells = new LinkedHashMap<>();
        release.targets().forEach(t -> cells.put(t.triple(), new LinkedHashMap<>()));
        int attempts = source.remote() ? settings.attempts() : 1;
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread thread = new Thread(r, "install-proof");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int attempt = 1; attempt <= attempts; attempt++) {
                Map<String, Future<InstallMatrix.Cell>> running = new LinkedHashMap<>();
                int n = 0;
                for (Target target : release.targets()) {
                    for (String version : settings.pythons()) {
                        InstallMatrix.Cell done = cells.get(target.triple()).get(version);
                        if (done == null || done.retryable()) {
                            Path cellDir = work.resolve("cell-" + attempt + "-" + n++);
                            running.put(target.triple() + " " + version, pool.submit(() -> resolver.resolve(python,
                                    source, requirement, target.tag(), version, target.wheel(), cellDir)));
                        }
                    }
                }
                for (Map.Entry<String, Future<InstallMatrix.Cell>> cell : running.entrySet()) {
                    String[] key = cell.getKey().split(" ");
                    cells.get(key[0]).put(key[1], await(cell.getValue()));
                }
                List<String> pending = running.keySet().stream()
                        .filter(k -> cells.get(k.split(" ")[0]).get(k.split(" ")[1]).retryable()).toList();
                if (pending.isEmpty() || attempt == attempts) {
                    break;
                }
                LOG.info("pip does not resolve {} yet (attempt {} of {}); asking again in {} s", pending, attempt,
                        attempts, settings.retryWait().toSeconds());
                pause();
            }
        } finally {
            pool.shutdownNow();
        }
        List<InstallMatrix.Row> rows = release.targets().stream().map(t -> new InstallMatrix.Row(t.triple(), t.tag(),
                t.wheel().name(), orderedCells(cells.get(t.triple())))).toList();
        return new InstallMatrix(settings.pythons(), rows);
    }

    private Map<String, InstallMatrix.Cell> orderedCells(Map<String, InstallMatrix.Cell> cells) {
        Map<String, InstallMatrix.Cell> ordered = new LinkedHashMap<>();
        settings.pythons().forEach(v -> ordered.put(v, cells.get(v)));
        return ordered;
    }

    private SmokeResult smoke(HostPython python, PipResolver.Source source, String requirement, Candidate release,
            Path work) throws IOException {
        List<String> hostTags = python.hostTags(processes, work);
        if (hostTags.isEmpty()) {
            return SmokeResult.skipped("skipped: " + python.executable() + " does not tell which wheel tags it installs");
        }
        for (String tag : hostTags) {
            for (Target target : release.targets()) {
                if (target.fileTags().contains(tag)) {
                    return smoke.run(python, source, requirement, release.distribution(), settings.binaryPackage(),
                            target, release.version(), release.coreVersion(), work.resolve("smoke"));
                }
            }
        }
        return SmokeResult.skipped("skipped: no wheel fits this host (" + hostTags.get(0) + ")");
    }

    private InstallReport report(HostPython python, PipResolver.Source source, InstallMatrix matrix, SmokeResult smoked) {
        List<String> failures = matrix.failures();
        int cells = matrix.cellCount();
        String state = !failures.isEmpty() || smoked.failed() ? "failed" : "passed";
        StringBuilder detail = new StringBuilder();
        if (failures.isEmpty()) {
            detail.append("pip resolves exactly the built wheel in all ").append(cells).append(" cells (")
                    .append(matrix.rows().size()).append(" platforms × Python ").append(String.join(", ", matrix.pythons()))
                    .append(") from ").append(source.description());
        } else {
            detail.append("pip does not resolve the built wheel in ").append(failures.size()).append(" of ").append(cells)
                    .append(" cells from ").append(source.description()).append(": ").append(String.join("; ", failures));
        }
        detail.append("; smoke test").append(smoked.tag() == null ? "" : " on " + smoked.tag()).append(": ")
                .append(smoked.state()).append(smoked.detail() == null ? "" : " (" + smoked.detail() + ")");
        return new InstallReport(state, detail.toString(), source.description(), python.describe(), matrix, smoked);
    }

    private static void record(ReleaseRun run, InstallReport report) {
        run.installProof(report);
        if (report.state().equals("skipped")) {
            run.skip(STEP, report.detail());
        } else {
            run.detail(STEP, report.detail());
        }
    }

    private Candidate release(ReleaseRun run) {
        SdkProject sdk = run.plan().build().sdk();
        String core = sdk.declares(VersionStamp.CORE_VERSION) ? run.plan().build().sochdbVersion() : null;
        Map<String, Artifact> wheels = new LinkedHashMap<>();
        run.artifacts().stream().filter(a -> a.kind().equals("wheel")).forEach(a -> wheels.put(a.platform(), a));
        List<Target> targets = new ArrayList<>();
        for (WheelJob job : run.plan().wheelJobs()) {
            String triple = job.platform().triple();
            List<String> executables = job.platform().executables().stream()
                    .map(e -> settings.binaryPackage() + "/_bin/" + triple + "/" + e).toList();
            Artifact wheel = wheels.get(triple);
            if (wheel == null) {
                throw new ReleaseFailedException("no wheel was built for " + triple);
            }
            // The tag the wheel was given: with tag = auto, the compliance gate chose it from the binaries.
            String tag = run.platforms().stream().filter(o -> o.platform().triple().equals(triple)).findFirst()
                    .map(WheelOutcome::tag).orElse(job.platform().tag());
            targets.add(new Target(triple, tag, executables, wheel));
        }
        return new Candidate(sdk.metadata().name().normalized(), run.plan().build().version().canonical(), core, targets,
                run.request().dryRun());
    }

    /** Only the wheels of this release, so that pip cannot pick a stale file lying next to them. */
    private static Path links(Candidate release, Path work) throws IOException {
        Path links = Files.createDirectories(work.resolve("links"));
        for (Target target : release.targets()) {
            Path link = links.resolve(target.wheel().name());
            try {
                Files.createSymbolicLink(link, target.wheel().path().toAbsolutePath());
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(target.wheel().path(), link);
            }
        }
        return links;
    }

    private static InstallMatrix.Cell await(Future<InstallMatrix.Cell> cell) throws IOException {
        try {
            return cell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseFailedException("interrupted while proving the install");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new ReleaseFailedException("the install proof failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseFailedException("interrupted while waiting for the index");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }
}
