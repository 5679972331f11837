package io.sochdb.release.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.packaging.Version;
import io.sochdb.release.release.ReleasePlanner;
import io.sochdb.release.release.ReleaseRequest;
import io.sochdb.release.release.ReleaseRun;

/**
 * The runs of service mode, one per version. Every trigger (webhook, manual, poller) starts runs here, so a version
 * that is running or has succeeded is never started twice. Runs execute the same {@code direct:release} route as
 * the command line, in the background, each writing to {@code <dist>/<version>/}; finished runs are remembered
 * through their summary.json, so a restart knows what is done.
 */
public final class ReleaseRuns {

    public enum Outcome { STARTED, ALREADY_RUNNING, ALREADY_DONE }

    public record Start(Outcome outcome, String version) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate template;
    private final ExecutorService executor;
    private final Path dist;
    private final Map<String, ReleaseRun> live = new LinkedHashMap<>();
    /** Dry runs of versions already released: kept apart so that they never replace the production record. */
    private final Map<String, ReleaseRun> sideDryRuns = new LinkedHashMap<>();
    private volatile boolean accepting = true;

    public ReleaseRuns(ProducerTemplate template, ExecutorService executor, Path dist) {
        this.template = template;
        this.executor = executor;
        this.dist = dist.toAbsolutePath().normalize();
    }

    /** Checks the request (InvalidInputException for a bad one), then starts it unless its version is taken. */
    public synchronized Start start(String version, String sochdbVersion, boolean dryRun, String trigger) {
        ReleaseRequest probe = new ReleaseRequest(version, sochdbVersion, dryRun, dist, null, null);
        Version canonical = ReleasePlanner.checkRequest(probe);
        String key = canonical.canonical();
        if (running(live.get(key)) || running(sideDryRuns.get(key))) {
            return new Start(Outcome.ALREADY_RUNNING, key);
        }
        boolean released = succeeded(key);
        if (!dryRun && released) {
            return new Start(Outcome.ALREADY_DONE, key);
        }
        if (!accepting) {
            throw new IllegalStateException("shutting down: no new release runs");
        }
        boolean aside = dryRun && released;
        Path folder = dist.resolve(aside ? key + "-dry-run" : key);
        ReleaseRun run = new ReleaseRun(new ReleaseRequest(version, sochdbVersion, dryRun, folder, null, null),
                Clock.systemUTC());
        (aside ? sideDryRuns : live).put(key, run);
        LOG.info("Starting release {} ({}, {})", key, trigger, dryRun ? "dry run" : "production");
        executor.submit(() -> {
            try {
                template.requestBody("direct:release", run, String.class);
            } catch (RuntimeException e) {
                run.fail(e);
                run.finish();
                LOG.error("Release {} stopped: {}", key, e.getMessage());
            }
        });
        return new Start(Outcome.STARTED, key);
    }

    /** True when a production run of this version ended in success, in this process or before a restart. */
    public synchronized boolean succeeded(String version) {
        ReleaseRun run = live.get(version);
        if (run != null && run.finished() != null && run.succeeded() && !run.request().dryRun()) {
            return true;
        }
        JsonNode saved = saved(version);
        return saved != null && "succeeded".equals(saved.path("status").asText()) && !saved.path("dry_run").asBoolean();
    }

    public synchronized Optional<ReleaseRun> live(String version) {
        return Optional.ofNullable(live.get(version));
    }

    /** Summaries of runs from before this process, by version. */
    public synchronized Map<String, JsonNode> saved() {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        if (!Files.isDirectory(dist)) {
            return runs;
        }
        try (Stream<Path> folders = Files.list(dist)) {
            for (Path folder : folders.sorted().toList()) {
                JsonNode summary = read(folder.resolve("summary.json"));
                if (summary != null) {
                    runs.put(folder.getFileName().toString(), summary);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dist, e);
        }
        return runs;
    }

    public synchronized List<ReleaseRun> liveRuns() {
        List<ReleaseRun> runs = new ArrayList<>(live.values());
        runs.addAll(sideDryRuns.values());
        return runs;
    }

    private static boolean running(ReleaseRun run) {
        return run != null && run.finished() == null;
    }

    /** Graceful shutdown: no new runs; the running one finishes its current step (the executor is drained). */
    public void stopAccepting() {
        accepting = false;
    }

    public boolean accepting() {
        return accepting;
    }

    private JsonNode saved(String version) {
        return read(dist.resolve(version).resolve("summary.json"));
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }
}
