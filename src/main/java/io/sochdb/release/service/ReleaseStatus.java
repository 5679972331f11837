package io.sochdb.release.service;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.RunRecord;

/**
 * {@code GET /releases} and {@code GET /releases/{version}}: the same document as summary.json, from the state
 * store, so that every replica answers alike; a run this replica is working on is shown as it is this moment.
 * Each document also says who holds the run and how many attempts it took ({@code run}).
 */
public final class ReleaseStatus {

    private static final String DRY_RUN = "-dry-run";

    private final ObjectMapper json;
    private final ReleaseRuns runs;

    public ReleaseStatus(ReleaseRuns runs, ObjectMapper json) {
        this.runs = runs;
        this.json = json;
    }

    public ArrayNode list() {
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        for (RunRecord record : runs.store().all()) {
            all.put(record.key(), document(record));
        }
        ArrayNode list = json.createArrayNode();
        all.values().forEach(list::add);
        return list;
    }

    /** One run, looked up by the same canonical form it was stored under ({@code 03.0.0} finds 3.0.0). */
    public ObjectNode one(@Header("version") String asked) {
        String key = key(asked);
        Optional<RunRecord> record = runs.store().find(key);
        if (record.isEmpty()) {
            throw new HttpProblem(404, "no release run for version " + key);
        }
        return document(record.get());
    }

    private static String key(String asked) {
        String given = asked == null ? "" : asked.strip();
        boolean dryRun = given.endsWith(DRY_RUN);
        String version = dryRun ? given.substring(0, given.length() - DRY_RUN.length()) : given;
        try {
            return Version.parse(version).canonical() + (dryRun ? DRY_RUN : "");
        } catch (InvalidInputException e) {
            throw new HttpProblem(404, "no release run for \"" + given + "\": " + e.getMessage());
        }
    }
    /** The live run when this replica holds it, else the last recorded document. */
    private ObjectNode document(RunRecord record) {
        Optional<ReleaseRun> live = runs.live(record.key());
        ObjectNode node;
        if (live.isPresent()) {
            node = read(runs.document(live.get()));
        } else if (record.document() != null) {
            node = read(record.document());
        } else {
            node = json.createObjectNode().put("version", record.version()).put("dry_run", record.dryRun());
        }
        // The record's state wins: a run whose owner died reads "running" until it is taken over, not "failed".
        node.put("status", record.state());
        if (record.failedStep() != null) {
            node.put("failed_step", record.failedStep());
            node.put("error", record.error());
        }
        ObjectNode run = node.putObject("run");
        run.put("key", record.key());
        run.put("attempt", record.attempt());
        run.put("owner", record.owner());
        run.put("trigger", record.trigger());
        run.put("needs_person", record.needsPerson());
        if (record.githubReleaseId() != null) {
            run.put("github_release_id", record.githubReleaseId());
        }
        return node;
    }

    private ObjectNode read(String document) {
        try {
            return (ObjectNode) json.readTree(document);
        } catch (IOException | ClassCastException e) {
            return json.createObjectNode().put("document_error", "unreadable recorded document");
        }
    }
}
