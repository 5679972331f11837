package io.sochdb.release.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.Exchange;

import io.sochdb.release.release.ReleaseRun;
import io.sochdb.release.summary.SummaryWriter;

/**
 * {@code GET /releases} and {@code GET /releases/{version}}: the same document as summary.json, live for a run in
 * progress and from its saved summary.json for runs of earlier processes.
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
        ArrayNode all = json.createArrayNode();
        Map<String, JsonNode> saved = runs.saved();
        List<String> shown = new ArrayList<>();
        for (ReleaseRun run : runs.liveRuns()) {
            JsonNode node = json.valueToTree(summaries.summarize(run));
            shown.add(node.path("version").asText());
            all.add(node);
        }
        saved.forEach((version, node) -> {
            if (!shown.contains(version)) {
                all.add(node);
            }
        });
        reply(exchange, 200, all);
    }

    public void one(Exchange exchange) {
        String version = exchange.getMessage().getHeader("version", String.class);
        JsonNode node = runs.live(version).map(run -> (JsonNode) json.valueToTree(summaries.summarize(run)))
                .orElseGet(() -> runs.saved().get(version));
        if (node == null) {
            HttpReply.of(404, "no release run for version " + version).applyTo(exchange);
            return;
        }
        reply(exchange, 200, node);
    }

    private void reply(Exchange exchange, int status, JsonNode body) {
        try {
            new HttpReply(status, json.writeValueAsString(body), Map.of()).applyTo(exchange);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status document", e);
        }
    }
}
