package io.sochdb.release.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.ReleaseConfiguration;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/**
 * A whole dry run, through the real routes, of an SDK with dependencies while the index is out of reach (port 9,
 * discard, where nothing listens here): the release succeeds and both summaries say what was not proven, and why.
 */
@CamelMainTest(configurationClasses = ReleaseConfiguration.class, properties = {
        "camel.main.routes-exclude-pattern=**/triggers.camel.yaml,**/runs.camel.yaml",
        "camel.server.enabled=false", "camel.management.enabled=false",
        "pypi.url=http://127.0.0.1:9", "verify.install.pythons=3.9,3.13"})
class OfflineDryRunTest {

    @EndpointInject("direct:release")
    ProducerTemplate release;

    @TempDir
    Path tmp;

    @Test
    void anOfflineDryRunSucceedsAndItsSummariesSayTheImportWasNotProvenAndWhy() throws IOException {
        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, true, tmp.resolve("dist"),
                Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2"), DependentSdk.write(tmp.resolve("sdk"))),
                Clock.systemUTC());

        String markdown = release.requestBody(run, String.class);

        assertThat(run.failure()).isNull();
        JsonNode proof = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile()).path("install_proof");
        assertThat(proof.path("state").asText()).as(proof.toPrettyString()).isEqualTo("partial");
        assertThat(proof.path("smoke").path("state").asText()).isEqualTo("not_proven");
        assertThat(proof.path("smoke").path("missing_dependencies")).extracting(JsonNode::asText)
                .containsExactly("stub-numpy", "stub-grpc");
        assertThat(proof.path("proven")).hasSize(2);
        assertThat(proof.path("not_proven").get(0).asText())
                .startsWith("import sochdb not proven: it needs stub-numpy, stub-grpc");
        assertThat(markdown).contains("**passed, but not everything was proven**",
                "- **Not proven**: import sochdb not proven: it needs stub-numpy, stub-grpc, which could not be installed",
                "http://127.0.0.1:9/simple/");
        assertThat(Files.readString(tmp.resolve("dist/summary.md"))).isEqualTo(markdown);
    }
}
