package io.sochdb.release.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.ReleaseConfiguration;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import static io.sochdb.release.pipeline.ComplianceRouteTest.LINUX;

/** With {@code tag = auto}, the same binary gets the tag it really needs, and pip takes the wheel for that platform. */
@CamelMainTest(configurationClasses = ReleaseConfiguration.class, properties = {
        "camel.main.routes-exclude-pattern=**/triggers.camel.yaml,**/runs.camel.yaml",
        "camel.server.enabled=false", "camel.management.enabled=false",
        "release.platform.x86_64-unknown-linux-gnu.tag=auto"})
class AutoTagRouteTest {

    private static final String WHEEL = "sochdb_client-0.3.2-py3-none-manylinux_2_39_x86_64.whl";

    @EndpointInject("direct:release")
    ProducerTemplate release;

    @TempDir
    Path tmp;

    @Test
    void autoTagsTheWheelManylinux239AndPipAcceptsItForThatPlatformOnly() throws IOException {
        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, true, tmp.resolve("dist"),
                ComplianceRouteTest.archivesWithNewGlibc(tmp.resolve("archives")), Fixtures.sdkSource(tmp.resolve("sdk"))),
                Clock.systemUTC());
        String markdown = release.requestBody(run, String.class);

        assertThat(run.failure()).isNull();
        Path wheel = tmp.resolve("dist").resolve(WHEEL);
        assertThat(wheel).isRegularFile();
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            String wheelFile = new String(zip.getInputStream(zip.getEntry("sochdb_client-0.3.2.dist-info/WHEEL"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(wheelFile.lines()).contains("Tag: py3-none-manylinux_2_39_x86_64");
        }
        JsonNode linux = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile()).path("platforms").get(0);
        assertThat(linux.path("tag").asText()).isEqualTo("manylinux_2_39_x86_64");
        assertThat(linux.path("configured_tag").asText()).isEqualTo("auto");
        assertThat(linux.path("wheel").asText()).isEqualTo(WHEEL);
        assertThat(linux.path("tag_reason").asText()).isEqualTo("highest glibc symbol version needed: GLIBC_2.39 (sochdb-bulk)");
        assertThat(markdown).contains("- " + LINUX + ": `manylinux_2_39_x86_64` (configured: `auto`), highest glibc");

        Processes.Result accepted = pip("manylinux_2_39_x86_64");
        assertThat(accepted.ok()).as(accepted.describe()).isTrue();
        assertThat(accepted.stdout()).as(accepted.describe()).contains(WHEEL);
        Processes.Result older = pip("manylinux_2_38_x86_64");
        assertThat(older.ok()).as(older.describe()).isFalse();
    }

    private Processes.Result pip(String platform) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-m", "pip", "--isolated", "install",
                "--no-index", "--root-user-action=ignore", "--no-deps", "--no-compile", "--only-binary=:all:",
                "--target", tmp.resolve("target-" + platform).toString(), "--platform", platform,
                "--python-version", "3.11", "--find-links", tmp.resolve("dist").toString(), "sochdb-client==0.3.2"));
        return Processes.run(command, Processes.pipEnv(), tmp, Duration.ofMinutes(2));
    }
}
