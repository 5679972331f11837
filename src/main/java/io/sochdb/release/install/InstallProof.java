package io.sochdb.release.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.install.report.InstallMatrix;
import io.sochdb.release.install.report.InstallReport;
import io.sochdb.release.install.report.SmokeResult;
import io.sochdb.release.retry.Retry;
import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.retry.Sleeper;
import io.sochdb.release.retry.WaitInterruptedException;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.sdk.VersionStamp;

/**
 * The install-proof step: a release only succeeds when pip, on every platform and Python version it promises,
 * resolves {@code name==version} to exactly the wheel that was built, and when it installs and imports on this
 * host with its dependencies. After publishing pip asks the index; a dry run asks the built files, and the index
 * only (read-only) for the dependencies of the smoke test. Whatever could not be proven for want of those
 * dependencies is reported as not proven ({@code partial}), which {@code VERIFY_INSTALL=required} turns into a
 * failure.
 */
public final class InstallProof {

    private static final Logger LOG = LoggerFactory.getLogger(InstallProof.class);

    /** What is being proven, taken from the run so that tests can prove hand-made wheels too. */
    record Candidate(String distribution, String version, String coreVersion, List<Target> targets, boolean local) {
    }

    private final InstallSettings settings;
    private final PythonProcess processes;
    private final PipResolver resolver;
    private final SmokeTest smoke;
    private final Retry indexLag;

    public InstallProof(InstallSettings settings) {
        this(settings, true);
    }

    /** @param oneProcess false: a {@code pip download} per cell, the way a pip of unknown internals is handled */
    InstallProof(InstallSettings settings, boolean oneProcess) {
        this.settings = settings;
        this.processes = new PythonProcess(settings.timeout());
        this.resolver = new PipResolver(processes, settings.parallelism(), oneProcess);
        this.smoke = new SmokeTest(processes);
        // A constant wait: the index's CDN catches up on its own schedule, not faster for being asked later.
        this.indexLag = new Retry(new RetryPolicy(settings.attempts(), settings.retryWait(), settings.retryWait(), false),
                Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public void prove(ReleaseRun run) throws IOException {
        if (settings.mode() == InstallSettings.Mode.OFF) {
            record(run, InstallReport.skipped("skipped: VERIFY_INSTALL=off"));
            return;
        }
        InstallReport report = prove(release(run));
        record(run, report);
        if (report.state().equals(InstallReport.FAILED)) {
            throw new ReleaseFailedException(report.detail());
        }
    }

    InstallReport prove(Candidate release) throws IOException {
        Path work = Files.createTempDirectory("install-proof-");
        ExecutorService background = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "install-proof-smoke");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Optional<HostPython> python = HostPython.find(settings.python(), processes, work);
            if (python.isEmpty()) {
                String why = "no python3 with pip found (VERIFY_INSTALL_PYTHON=" + settings.python() + ")";
                if (settings.mode() == InstallSettings.Mode.REQUIRED) {
                    return InstallReport.failed("VERIFY_INSTALL=required, but " + why);
                }
                return InstallReport.skipped("skipped: " + why);
            }
            PipResolver.Source source = release.local() ? PipResolver.Source.local(links(release, work))
                    : PipResolver.Source.index(settings.indexUrl());
            SmokeRun smokeTest = smokeTest(python.get(), source, release, work.resolve("smoke"));
            // A dry run's smoke test needs nothing the cells decide, so it runs beside them on the other core;
            // after publishing it waits for them, since the index may not serve the files yet.
            Future<SmokeResult> early = release.local() ? background.submit(smokeTest::call) : null;
            InstallMatrix matrix = matrix(python.get(), source, release, work);
            SmokeResult smoked = early != null ? await(early) : null;
            if (!matrix.failures().isEmpty()) {
                smoked = SmokeResult.skipped("not run: pip does not resolve every cell");
            } else if (smoked == null) {
                smoked = smokeTest.call();
            }
            return report(python.get(), source, matrix, smoked);
        } finally {
            background.shutdownNow();
            delete(work);
        }
    }

    private InstallMatrix matrix(HostPython python, PipResolver.Source source, Candidate release, Path work)
            throws IOException {
        List<PipResolver.CellJob> jobs = new ArrayList<>();
        for (Target target : release.targets()) {
            settings.pythons().forEach(v -> jobs.add(new PipResolver.CellJob(target.triple(), target.tag(), v,
                    target.wheel())));
        }
        Map<String, InstallMatrix.Cell> cells = withRetries(jobs, source, attempt -> resolver.resolve(python, source,
                release.distribution(), release.version(), attempt.jobs(), work.resolve("cells-" + attempt.number())));
        List<InstallMatrix.Row> rows = release.targets().stream().map(t -> {
            Map<String, InstallMatrix.Cell> row = new LinkedHashMap<>();
            settings.pythons().forEach(v -> row.put(v, cells.get(t.triple() + " " + v)));
            return new InstallMatrix.Row(t.triple(), t.tag(), t.wheel().name(), row);
        }).toList();
        return new InstallMatrix(settings.pythons(), rows);
    }

    private record Attempt(int number, List<PipResolver.CellJob> jobs) {
    }

    private interface Resolution {
        Map<String, InstallMatrix.Cell> resolve(Attempt attempt) throws IOException;
    }

    /** Indexes and their CDNs show new files late: cells not found (or not reached) are asked again, local files once. */
    private Map<String, InstallMatrix.Cell> withRetries(List<PipResolver.CellJob> jobs, PipResolver.Source source,
            Resolution resolution) throws IOException {
        Map<String, InstallMatrix.Cell> cells = new LinkedHashMap<>();
        int attempts = source.remote() ? settings.attempts() : 1;
        AtomicReference<List<PipResolver.CellJob>> pending = new AtomicReference<>(jobs);
        try {
            return indexLag.run("pip's resolution against " + source.description(), attempt -> {
                try {
                    cells.putAll(resolution.resolve(new Attempt(attempt, pending.get())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                pending.set(pending.get().stream().filter(j -> cells.get(j.id()).retryable()).toList());
                if (pending.get().isEmpty() || attempt >= attempts) {
                    return Retry.done(cells);
                }
                return Retry.again("pip does not resolve " + pending.get().stream().map(PipResolver.CellJob::id)
                        .toList() + " yet (attempt " + attempt + " of " + attempts + ")");
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (WaitInterruptedException e) {
            throw new ReleaseFailedException("interrupted while waiting for the index");
        }
    }

    private interface SmokeRun {
        SmokeResult call() throws IOException;
    }

    /** The smoke test for the wheel that fits this host, the best-ranked of its tags first. */
    private SmokeRun smokeTest(HostPython python, PipResolver.Source source, Candidate release, Path work) {
        if (python.tags().isEmpty()) {
            return () -> SmokeResult.skipped("skipped: " + python.executable()
                    + " does not tell which wheel tags it installs");
        }
        for (String tag : python.tags()) {
            for (Target target : release.targets()) {
                if (target.fileTags().contains(tag)) {
                    SmokeTest.Expected expected = new SmokeTest.Expected(release.distribution() + "=="
                            + release.version(), release.distribution(), settings.binaryPackage(), release.version(),
                            release.coreVersion());
                    return () -> smoke.run(python, source, PipResolver.Source.index(settings.indexUrl()), expected,
                            target, work);
                }
            }
        }
        return () -> SmokeResult.skipped("skipped: no wheel fits this host (" + python.tags().get(0) + ")");
    }

    private InstallReport report(HostPython python, PipResolver.Source source, InstallMatrix matrix, SmokeResult smoked) {
        List<String> failures = matrix.failures();
        int cells = matrix.cellCount();
        List<String> proven = new ArrayList<>();
        List<String> notProven = new ArrayList<>();
        StringBuilder detail = new StringBuilder();
        if (failures.isEmpty()) {
            detail.append("pip resolves exactly the built wheel in all ").append(cells).append(" cells (")
                    .append(matrix.rows().size()).append(" platforms × Python ").append(String.join(", ", matrix.pythons()))
                    .append(") from ").append(source.description());
            proven.add(detail.toString() + ", byte-identical (sha256)");
        } else {
            detail.append("pip does not resolve the built wheel in ").append(failures.size()).append(" of ").append(cells)
                    .append(" cells from ").append(source.description()).append(": ").append(String.join("; ", failures));
        }
        detail.append("; smoke test").append(smoked.tag() == null ? "" : " on " + smoked.tag()).append(": ")
                .append(smoked.state().replace('_', ' ')).append(smoked.detail() == null ? "" : " (" + smoked.detail() + ")");
        if (smoked.state().equals("passed")) {
            proven.add("installed on this host (" + smoked.tag() + ") and imported: " + smoked.detail());
        } else if (smoked.notProven()) {
            String[] parts = smoked.detail().split("; import ", 2);
            proven.add("our wheel's files on this host (" + smoked.tag() + "), " + parts[0]);
            notProven.add(parts.length > 1 ? "import " + parts[1] : smoked.detail());
        }
        String state;
        if (!failures.isEmpty() || smoked.failed()) {
            state = InstallReport.FAILED;
        } else if (!notProven.isEmpty() && settings.mode() == InstallSettings.Mode.REQUIRED) {
            state = InstallReport.FAILED;
            detail.insert(0, "VERIFY_INSTALL=required, but not everything was proven: ");
        } else {
            state = notProven.isEmpty() ? InstallReport.PASSED : InstallReport.PARTIAL;
        }
        return new InstallReport(state, detail.toString(), source.description(), python.describe(), matrix, smoked,
                proven, notProven);
    }

    private static void record(ReleaseRun run, InstallReport report) {
        run.installProof(report);
        if (report.state().equals(InstallReport.SKIPPED)) {
            run.skip(report.detail());
        } else {
            run.detail(report.detail());
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

    private static SmokeResult await(Future<SmokeResult> smoked) throws IOException {
        try {
            return smoked.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseFailedException("interrupted while proving the install");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new ReleaseFailedException("the smoke test failed: " + e.getCause().getMessage(), e.getCause());
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
