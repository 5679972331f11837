package io.sochdb.release.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.ReleaseConfiguration;
import io.sochdb.release.compliance.TestBinaries;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/** The compliance gate in a real dry run with the shipped tags: a binary built on a new glibc stops the release. */
@CamelMainTest(configurationClasses = ReleaseConfiguration.class, properties = {
        "camel.main.routes-exclude-pattern=**/triggers.camel.yaml,**/runs.camel.yaml",
        "camel.server.enabled=false", "camel.management.enabled=false"})
class ComplianceRouteTest {

    static final String LINUX = "x86_64-unknown-linux-gnu";
    static final String MESSAGE = "sochdb-bulk requires GLIBC_2.39 but the wheel is tagged manylinux_2_17_x86_64"
            + " (highest allowed: GLIBC_2.17)";

    @EndpointInject("direct:release")
    ProducerTemplate release;

    @TempDir
    Path tmp;

    /** Upstream's archives, with a Linux sochdb-bulk that needs glibc 2.39, as Ubuntu 24.04 builds it. */
    static Path archivesWithNewGlibc(Path dir) {
        Path archives = Fixtures.allPlatformArchives(dir, "0.3.2");
        Fixtures.platformArchive(archives, "0.3.2", LINUX, ArchiveOptions.defaults().withOmit("sochdb-bulk")
                .withExtraEntry(LINUX + "/sochdb-bulk", TestBinaries.elfNeedingGlibc("2.2.5", "2.34", "2.39")));
        return archives;
    }

    @Test
    void aBinaryNeedingANewerGlibcThanTheTagStopsTheDryRunBeforeAnythingLandsInDist() throws IOException {
        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, true, tmp.resolve("dist"),
                archivesWithNewGlibc(tmp.resolve("archives")), Fixtures.sdkSource(tmp.resolve("sdk"))), Clock.systemUTC());
        String markdown = release.requestBody(run, String.class);

        assertThat(run.failedStep()).isEqualTo("wheels");
        assertThat(run.failure()).hasMessageContaining("x86_64-unknown-linux-gnu: sochdb_client-0.3.2-py3-none-"
                + "manylinux_2_17_x86_64.whl: " + MESSAGE);
        assertThat(run.steps()).filteredOn(s -> s.name().equals("outputs")).extracting(ReleaseRun.Step::state)
                .containsExactly(ReleaseRun.State.PENDING);
        try (Stream<Path> files = Files.list(tmp.resolve("dist"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("summary.md", "summary.json");
        }
        assertThat(markdown).contains("Failed at step `wheels`").contains(MESSAGE).contains("## Compliance")
                .contains("| " + LINUX + " | sochdb-bulk | ELF 64-bit LSB shared object | x86_64 | GLIBC_2.39 | " + MESSAGE);

        JsonNode linux = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile()).path("platforms").get(0);
        assertThat(linux.path("status").asText()).isEqualTo("failed");
        assertThat(linux.path("tag").asText()).isEqualTo("manylinux_2_17_x86_64");
        assertThat(linux.path("configured_tag").asText()).isEqualTo("manylinux_2_17_x86_64");
        JsonNode bulk = null;
        for (JsonNode binary : linux.path("compliance")) {
            bulk = binary.path("file").asText().equals("sochdb-bulk") ? binary : bulk;
        }
        assertThat(bulk).as(linux.toString()).isNotNull();
        assertThat(bulk.path("glibc").asText()).isEqualTo("2.39");
        assertThat(bulk.path("needed").get(0).asText()).isEqualTo("libc.so.6");
        assertThat(bulk.path("problems").get(0).asText()).isEqualTo(MESSAGE);
        assertThat(linux.path("compliance")).hasSize(5);
        assertThat(linux.path("compliance").get(0).path("file").asText()).isEqualTo("sochdb-server");
        assertThat(linux.path("compliance").get(0).path("problems")).isEmpty();
    }

    @Test
    void theShippedStubsFitTheDefaultTagsAndTheSummaryShowsWhatWasChecked() throws IOException {
        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, true, tmp.resolve("dist"),
                Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2"), Fixtures.sdkSource(tmp.resolve("sdk"))),
                Clock.systemUTC());
        release.requestBody(run, String.class);

        assertThat(run.failure()).isNull();
        JsonNode platforms = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile()).path("platforms");
        // In table order: x86_64 Linux, aarch64 Linux, arm64 macOS, x86_64 macOS, Windows.
        assertThat(platforms.findValuesAsText("tag")).containsExactly("manylinux_2_17_x86_64", "manylinux_2_17_aarch64",
                "macosx_11_0_arm64", "macosx_10_12_x86_64", "win_amd64");
        assertThat(platforms.findValuesAsText("tag_reason")).containsOnly("as configured");
        assertThat(platforms.get(2).path("compliance").get(0).path("min_macos").asText()).isEqualTo("11.0");
        assertThat(platforms.get(2).path("compliance").get(0).path("architecture").asText()).isEqualTo("arm64");
        // Intel macOS: what rustc's default deployment target writes into LC_BUILD_VERSION, proven against the tag.
        assertThat(platforms.get(3).path("compliance")).hasSize(5).allSatisfy(binary -> {
            assertThat(binary.path("min_macos").asText()).isEqualTo("10.12");
            assertThat(binary.path("architecture").asText()).isEqualTo("x86_64");
            assertThat(binary.path("problems")).isEmpty();
        });
        assertThat(platforms.get(1).path("compliance")).hasSize(5).allSatisfy(binary -> {
            assertThat(binary.path("architecture").asText()).isEqualTo("aarch64");
            assertThat(binary.path("problems")).isEmpty();
        });
        assertThat(platforms.get(4).path("compliance").get(0).path("format").asText()).isEqualTo("PE32+ executable");
        assertThat(platforms.get(0).path("compliance").get(0).path("format").asText()).isEqualTo("ELF 64-bit LSB executable, static");
    }
}
