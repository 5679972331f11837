package io.sochdb.release.service;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.summary.SummaryWriter;

/**
 * {@code GET /releases} and {@code GET /releases/{version}}: the same document as summary.json, from the state
 * store, so that every replica answers alike; a run this replica is working on is shown as it is this moment.
 * Each document also says who holds the run and how many attempts it took ({@code run}).
 */
public final class ReleaseStatus {

    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private final ReleaseRuns runs;
    private final SummaryWriter summaries;

    public ReleaseStatus(ReleaseRuns runs, SummaryWriter summaries) {
        this.runs = runs;
        this.summaries = summaries;
    }

    public void list(Exchange exchange) {
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        for (RunRecord record : runs.store().all()) {
            all.put(record.key(), document(record));
        }
        ArrayNode list = json.createArrayNode();
        all.values().forEach(list::add);
        reply(exchange, 200, list);
    }

    public void one(Exchange exchange) {
        String version = exchange.getMessage().getHeader("version", String.class);
        Optional<RunRecord> record = runs.store().find(version);
        if (record.isEmpty()) {
            HttpReply.of(404, "no release run for version " + version).applyTo(exchange);
            return;
        }
        reply(exchange, 200, document(record.get()));
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

    private void reply(Exchange exchange, int status, Object body) {
        try {
            new HttpReply(status, json.writeValueAsString(body), Map.of()).applyTo(exchange);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status document", e);
        }
    }
}
