package io.sochdb.release.service;

import static io.sochdb.release.service.ServiceHarness.json;
import static io.sochdb.release.service.ServiceHarness.published;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.state.StateDatabase;

/**
 * The triggers as a client meets them, over HTTP against the real routes (triggers.camel.yaml, runs.camel.yaml): every answer
 * of the webhook and the manual trigger, strict JSON, canonical versions and valid JSON bodies whatever the input.
 * One service for the class; each test uses versions of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggerRoutesTest {

    @TempDir
    static Path tmp;
    private ServiceHarness service;

    @BeforeAll
    void start() throws Exception {
        service = new ServiceHarness(tmp, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
    }

    private List<String> deliveries() {
        return service.context().getRegistry().lookupByNameAndType("stateDatabase", StateDatabase.class)
                .query("SELECT delivery_id FROM webhook_deliveries", row -> row.getString(1));
    }

    private void awaitDone(String key) throws Exception {
        ServiceHarness.await(key + " to succeed", () -> service.store().find(key)
                .map(r -> r.state().equals("succeeded")).orElse(false));
    }

    @Test
    void unsignedOrForgedDeliveriesAreRefusedBeforeAnythingIsParsedOrRemembered() throws Exception {
        byte[] body = published("v7.0.0").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> missing = service.webhook(body, Map.of("X-GitHub-Event", "release", "X-GitHub-Delivery", "f-1"));
        HttpResponse<String> wrong = service.webhook(body, Map.of("X-GitHub-Event", "release", "X-GitHub-Delivery", "f-2",
                "X-Hub-Signature-256", new WebhookSignature("another secret").header(body)));
        HttpResponse<String> garbage = service.webhook("{not json".getBytes(StandardCharsets.UTF_8), Map.of(
                "X-GitHub-Event", "release", "X-GitHub-Delivery", "f-3", "X-Hub-Signature-256", "sha256=" + "0".repeat(64)));

        assertThat(List.of(missing.statusCode(), wrong.statusCode(), garbage.statusCode())).containsOnly(401);
        assertThat(json(missing).path("message").asText()).contains("X-Hub-Signature-256");
        assertThat(deliveries()).doesNotContain("f-1", "f-2", "f-3");
        assertThat(service.received).noneMatch(r -> r.version().equals("7.0.0"));
    }

    @Test
    void aPingIsAnswered() throws Exception {
        HttpResponse<String> pong = service.webhook("ping", "p-1", "{\"zen\":\"Keep it simple.\",\"hook_id\":1}");
        assertThat(pong.statusCode()).isEqualTo(200);
        assertThat(json(pong).path("message").asText()).isEqualTo("pong");
    }

    @Test
    void aPublishedReleaseRunsOnceWhateverIsRedelivered() throws Exception {
        HttpResponse<String> first = service.webhook("release", "d-1", published("v0.3.2"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(first.headers().firstValue("Location")).hasValue("/releases/0.3.2");
        awaitDone("0.3.2");

        HttpResponse<String> redelivered = service.webhook("release", "d-1", published("v0.3.2"));
        HttpResponse<String> another = service.webhook("release", "d-2", published("v0.3.2"));

        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(json(redelivered).path("message").asText()).contains("handled before");
        assertThat(another.statusCode()).isEqualTo(200);
        assertThat(json(another).path("message").asText()).contains("already done");
        assertThat(service.received).filteredOn(r -> r.version().equals("0.3.2")).hasSize(1)
                .allMatch(r -> !r.dryRun() && r.sochdbVersion().equals("0.3.2"));
    }

    @Test
    void eventsThatAreNotOurReleasesGetNoContent() throws Exception {
        assertThat(service.webhook("release", "n-1", published(p -> p.with("release").put("draft", true))).statusCode())
                .as("draft").isEqualTo(204);
        assertThat(service.webhook("release", "n-2", published(p -> p.with("repository").put("full_name", "someone/sochdb")))
                .statusCode()).as("other repository").isEqualTo(204);
        assertThat(service.webhook("release", "n-3", published(p -> p.put("action", "created"))).statusCode())
                .as("action created").isEqualTo(204);
        assertThat(service.webhook("push", "n-4", published("v0.3.2")).statusCode()).as("another event").isEqualTo(204);
        assertThat(service.webhook("release", "n-5", published(p -> p.with("release").put("prerelease", true)))
                .statusCode()).as("prerelease, not configured").isEqualTo(204);
    }

    @Test
    void aMalformedDeliveryIsRefusedAndForgottenSoThatItsRedeliveryIsTaken() throws Exception {
        HttpResponse<String> broken = service.webhook("release", "m-1", "{\"action\": \"published\",");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(service.webhook("release", "m-2", "[1, 2]").statusCode()).isEqualTo(400);
        assertThat(deliveries()).doesNotContain("m-1");

        HttpResponse<String> fixed = service.webhook("release", "m-1", published("v0.6.0"));
        assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(202);
    }

    @Test
    void badTagsAndHeadersAreBadRequestsWithValidJson() throws Exception {
        HttpResponse<String> latest = service.webhook("release", "t-1", published("vlatest"));
        HttpResponse<String> number = service.webhook("release", "t-2", published(p -> p.with("release").put("tag_name", 123)));
        HttpResponse<String> local = service.webhook("release", "t-3", published("v1.5.0+local"));
        HttpResponse<String> longId = service.webhook("release", "x".repeat(300), published("v0.6.1"));
        HttpResponse<String> form = service.webhook(published("v0.6.2").getBytes(StandardCharsets.UTF_8), Map.of(
                "X-GitHub-Event", "release", "X-GitHub-Delivery", "t-5", "Content-Type", "application/x-www-form-urlencoded",
                "X-Hub-Signature-256", new WebhookSignature(ServiceHarness.SECRET).header(
                        published("v0.6.2").getBytes(StandardCharsets.UTF_8))));

        assertThat(latest.statusCode()).isEqualTo(400);
        assertThat(json(latest).path("message").asText()).contains("latest");
        assertThat(number.statusCode()).isEqualTo(400);
        assertThat(json(number).path("message").asText()).contains("tag_name");
        assertThat(local.statusCode()).isEqualTo(400);
        assertThat(json(local).path("message").asText()).contains("PyPI refuses local versions").contains("release 1.5.0");
        assertThat(longId.statusCode()).isEqualTo(400);
        assertThat(json(longId).path("message").asText()).contains("X-GitHub-Delivery");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(service.received).noneMatch(r -> r.version().startsWith("0.6.1") || r.version().startsWith("0.6.2"));
    }

    @Test
    void theManualTriggerNeedsItsTokenBeforeTheBodyIsRead() throws Exception {
        HttpResponse<String> none = service.trigger("{\"version\":\"0.7.0\"}", null);
        HttpResponse<String> wrong = service.trigger("{not json", "not the token");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).as("401, not 400: nothing unauthenticated is parsed").isEqualTo(401);
    }

    @Test
    void theManualTriggerBodyIsReadStrictly() throws Exception {
        for (String body : List.of("{\"version\":\"0.7.1\",\"dry_run\":true,\"dry_run\":false}",
                "{\"version\":\"0.7.1\",\"dryRun\":true}", "{\"version\":\"0.7.1\",\"dry_run\":\"true\"}",
                "{\"version\":0.71}", "{\"version\":\"0.7.1\",\"sochdb_version\":71}", "", "[\"0.7.1\"]", "{}",
                "{\"version\":\"0.7.1\"} {\"version\":\"0.7.2\"}", "{\"version\":\"1.5.0+local\"}")) {
            HttpResponse<String> reply = service.trigger(body, ServiceHarness.TOKEN);
            assertThat(reply.statusCode()).as(body).isEqualTo(400);
            assertThat(json(reply).path("message").asText()).as(body).isNotBlank();
        }
        assertThat(json(service.trigger("{\"version\":\"0.7.1\",\"dryRun\":true}", ServiceHarness.TOKEN))
                .path("message").asText()).contains("dryRun");
        assertThat(service.received).noneMatch(r -> r.version().startsWith("0.7"));
    }

    @Test
    void aRunningVersionIsAConflictForAPersonAndAReleasedOneIsDone() throws Exception {
        service.hold();
        HttpResponse<String> started = service.trigger("{\"version\":\"2.0.0\"}", ServiceHarness.TOKEN);
        HttpResponse<String> again = service.trigger("{\"version\":\"2.0.0\"}", ServiceHarness.TOKEN);
        service.letGo();
        awaitDone("2.0.0");
        HttpResponse<String> later = service.trigger("{\"version\":\"2.0.0\"}", ServiceHarness.TOKEN);
        HttpResponse<String> dryRun = service.trigger("{\"version\":\"2.0.0\",\"dry_run\":true}", ServiceHarness.TOKEN);

        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValue("/releases/2.0.0");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(json(later).path("message").asText()).contains("already done");
        assertThat(dryRun.statusCode()).as("a dry run of a released version is kept apart").isEqualTo(202);
        awaitDone("2.0.0-dry-run");
        assertThat(service.record("2.0.0").dryRun()).as("the production record stays").isFalse();
    }

    @Test
    void versionsAreStoredAndLookedUpInTheirCanonicalForm() throws Exception {
        HttpResponse<String> started = service.trigger("{\"version\":\" 03.1.0\\n\",\"dry_run\":true}", ServiceHarness.TOKEN);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(started.headers().firstValue("Location")).hasValue("/releases/3.1.0");
        awaitDone("3.1.0");

        HttpResponse<String> spelled = service.get("/releases/03.1.0");
        HttpResponse<String> withNewline = service.get("/releases/3.1.0%0A");
        assertThat(spelled.statusCode()).isEqualTo(200);
        assertThat(json(spelled).path("version").asText()).isEqualTo("3.1.0");
        assertThat(json(spelled).path("run").path("key").asText()).isEqualTo("3.1.0");
        assertThat(withNewline.statusCode()).isEqualTo(200);
        assertThat(service.record("3.1.0").version()).isEqualTo("3.1.0");
        ReleaseRequest received = service.received.stream().filter(r -> r.version().equals("3.1.0")).findFirst().orElseThrow();
        assertThat(received.version()).isEqualTo("3.1.0");
    }

    @Test
    void everyErrorBodyIsValidJsonWhateverTheInput() throws Exception {
        for (String path : List.of("/releases/1.0.0%0a%01%22", "/releases/%5C%22%7D", "/releases/9.9.9")) {
            HttpResponse<String> reply = service.get(path);
            assertThat(reply.statusCode()).as(path).isEqualTo(404);
            assertThat(json(reply).path("message").asText()).as(path).startsWith("no release run");
        }
        HttpResponse<String> list = service.get("/releases");
        assertThat(json(list).isArray()).isTrue();
    }

    @Test
    void aBodyLargerThanTheEndpointTakesIsRefusedAndItsConnectionClosed() throws Exception {
        HttpResponse<String> reply = service.trigger("{\"version\":\"" + "1".repeat(100_000) + "\"}", ServiceHarness.TOKEN);
        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(reply.headers().firstValue("Connection")).hasValue("close");
        assertThat(json(reply).path("message").asText()).contains("65536");
    }

    @Test
    void livenessIsDownWhileAVitalBackgroundRouteIsStopped() throws Exception {
        assertThat(service.health("/observe/health/live").statusCode()).isEqualTo(200);
        service.context().getRouteController().stopRoute("lease-renewal");
        try {
            HttpResponse<String> down = service.health("/observe/health/live");
            assertThat(down.statusCode()).as(service.health("/observe/health/live?exposureLevel=full").body()).isEqualTo(503);
            assertThat(down.body()).contains("DOWN");
        } finally {
            service.context().getRouteController().startRoute("lease-renewal");
        }
        assertThat(service.health("/observe/health/live").statusCode()).isEqualTo(200);
    }
}
