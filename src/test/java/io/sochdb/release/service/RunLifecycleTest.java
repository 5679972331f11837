package io.sochdb.release.service;

import static io.sochdb.release.service.ServiceHarness.json;
import static io.sochdb.release.service.ServiceHarness.published;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.state.RunRecord;

/**
 * The run lifecycle of runs.camel.yaml with dry-run-first on (the default): the queue, the dry run before an automatic
 * release, retries of passing failures whatever started the run, and a production trigger that arrives while a dry
 * run of the same version runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunLifecycleTest {

    @TempDir
    static Path tmp;
    private ServiceHarness service;

    @BeforeAll
    void start() throws Exception {
        service = new ServiceHarness(tmp, Map.of("release.dry-run-first", "true", "state.retry.max-attempts", "3"));
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
    }

    private RunRecord awaitEnd(String key) throws Exception {
        ServiceHarness.await(key + " to end", () -> service.store().find(key)
                .map(r -> !r.running() && !(r.state().equals("failed") && !r.needsPerson() && r.attempt() < 3))
                .orElse(false));
        return service.record(key);
    }

    @Test
    void aWebhookReleaseRunsItsDryRunFirst() throws Exception {
        assertThat(service.webhook("release", "l-1", published("v0.3.2")).statusCode()).isEqualTo(202);
        RunRecord record = awaitEnd("0.3.2");

        assertThat(record.state()).isEqualTo("succeeded");
        assertThat(record.dryRun()).isFalse();
        assertThat(service.received).filteredOn(r -> r.version().equals("0.3.2")).extracting(ReleaseRequest::dryRun)
                .containsExactly(true, false);
        assertThat(service.received.stream().filter(r -> r.version().equals("0.3.2")).findFirst().orElseThrow().dist())
                .isEqualTo(tmp.resolve("dist").toAbsolutePath().resolve("0.3.2-dry-run"));
    }

    @Test
    void aDryRunThatFailedOnAnOutageIsTriedAgainLikeAnyRun() throws Exception {
        service.dryRunFailures.set(1);
        assertThat(service.webhook("release", "l-2", published("v0.4.0")).statusCode()).isEqualTo(202);
        ServiceHarness.await("the retry of 0.4.0", () -> service.store().find("0.4.0")
                .map(r -> r.state().equals("succeeded")).orElse(false));

        RunRecord record = service.record("0.4.0");
        assertThat(record.attempt()).as("the first attempt's dry run failed, the second released").isEqualTo(2);
        assertThat(service.received).filteredOn(r -> r.version().equals("0.4.0")).extracting(ReleaseRequest::dryRun)
                .containsExactly(true, true, false);
    }

    @Test
    void aDryRunThatKeepsFailingStopsAfterTheLastAttemptAndSaysWhy() throws Exception {
        service.dryRunFailures.set(3);
        assertThat(service.trigger("{\"version\":\"0.4.1\",\"dry_run\":true}", ServiceHarness.TOKEN).statusCode())
                .isEqualTo(202);
        RunRecord record = awaitEnd("0.4.1");

        assertThat(record.state()).isEqualTo("failed");
        assertThat(record.attempt()).as("a manual dry run is retried like the others").isEqualTo(3);
        assertThat(record.needsPerson()).isFalse();
        assertThat(record.error()).contains("Connection refused");
        service.dryRunFailures.set(0);
    }

    /** The run queue takes the next run only once the one before has ended, also when the release went asynchronous. */
    @Test
    void runsOfDifferentVersionsRunOneAtATime() throws Exception {
        SedaEndpoint queue = service.context().getEndpoint("seda:release-runs", SedaEndpoint.class);
        service.hold();
        assertThat(service.trigger("{\"version\":\"7.0.0\",\"dry_run\":true}", ServiceHarness.TOKEN).statusCode())
                .isEqualTo(202);
        assertThat(service.trigger("{\"version\":\"7.0.1\",\"dry_run\":true}", ServiceHarness.TOKEN).statusCode())
                .isEqualTo(202);
        // Either the second run waits in the queue behind the first, or it was taken and entered the release too.
        ServiceHarness.await("one run inside and the other queued, or both inside", () -> service.inside.get() == 2
                || (service.inside.get() == 1 && queue.getQueue().size() == 1));
        int together = service.inside.get();
        service.letGo();

        assertThat(together).as("runs inside the release at once").isEqualTo(1);
        assertThat(awaitEnd("7.0.0").state()).isEqualTo("succeeded");
        assertThat(awaitEnd("7.0.1").state()).isEqualTo("succeeded");
    }

    @Test
    void aWebhookDuringADryRunOfTheSameVersionStillEndsInTheRelease() throws Exception {
        service.hold();
        HttpResponse<String> dryRun = service.trigger("{\"version\":\"5.1.0\",\"dry_run\":true}", ServiceHarness.TOKEN);
        assertThat(dryRun.statusCode()).isEqualTo(202);
        ServiceHarness.await("the dry run to hold 5.1.0", () -> service.record("5.1.0").running());

        HttpResponse<String> webhook = service.webhook("release", "l-3", published("v5.1.0"));
        HttpResponse<String> manual = service.trigger("{\"version\":\"5.1.0\"}", ServiceHarness.TOKEN);
        service.letGo();

        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(202);
        assertThat(json(webhook).path("message").asText()).contains("waits for the dry run");
        assertThat(manual.statusCode()).as("a person's production trigger waits the same way").isEqualTo(202);
        ServiceHarness.await("5.1.0 to be released", () -> service.store().find("5.1.0")
                .map(RunRecord::released).orElse(false));
        assertThat(service.received).filteredOn(r -> r.version().equals("5.1.0")).extracting(ReleaseRequest::dryRun)
                .as("the manual dry run, then the release with its own dry run first").containsExactly(true, true, false);
        assertThat(service.record("5.1.0").trigger()).isEqualTo("webhook l-3");
    }
}
