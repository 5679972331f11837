package io.sochdb.release.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import io.sochdb.release.failure.InvalidInputException;

class CoreMetadataTest {

    private static final Version RELEASE = Version.parse("0.3.2");

    @Test
    void rendersAFullProjectInCoreMetadataOrder() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("Homepage", "https://sochdb.dev");
        urls.put("Bug Tracker", "https://github.com/sochdb/sochdb-python-sdk/issues");
        Map<String, List<String>> extras = new LinkedHashMap<>();
        extras.put("Foo_Bar", List.of("posthog>=3.0.0", "grpcio ; sys_platform != \"win32\" or python_version < \"3.10\""));
        extras.put("cli", List.of("click"));
        ProjectMetadata project = new ProjectMetadata(
                new ProjectName("Sochdb_Client"),
                "0.0.1",
                "AI-native database client",
                new Readme("# SochDB\n\nHello.", "text/markdown"),
                ">=3.9",
                "Apache-2.0",
                null,
                List.of("LICENSE"),
                false,
                List.of(new Person("Jane Doe", "jane@sochdb.dev"), new Person("Solo Author", null),
                        new Person("Doe, John", "john@sochdb.dev"), new Person(null, "team@sochdb.dev")),
                List.of(new Person("Max", "max@sochdb.dev")),
                List.of("database", "vector-search"),
                List.of("Programming Language :: Python :: 3", "Topic :: Database"),
                urls,
                List.of("numpy>=1.24", "typing-extensions; python_version < \"3.11\""),
                extras,
                Map.of("console_scripts", Map.of("sochdb-bulk", "sochdb.cli_bulk:main")));

        // The release version wins over the declared 0.0.1; entry points belong in entry_points.txt, not here.
        assertThat(CoreMetadata.render(project, RELEASE)).isEqualTo("""
                Metadata-Version: 2.1
                Name: Sochdb_Client
                Version: 0.3.2
                Summary: AI-native database client
                Keywords: database,vector-search
                Author: Solo Author
                Author-email: Jane Doe <jane@sochdb.dev>, "Doe, John" <john@sochdb.dev>, team@sochdb.dev
                Maintainer-email: Max <max@sochdb.dev>
                License: Apache-2.0
                Classifier: Programming Language :: Python :: 3
                Classifier: Topic :: Database
                Requires-Python: >=3.9
                Requires-Dist: numpy>=1.24
                Requires-Dist: typing-extensions; python_version < "3.11"
                Provides-Extra: foo-bar
                Requires-Dist: posthog>=3.0.0; extra == "foo-bar"
                Requires-Dist: grpcio; (sys_platform != "win32" or python_version < "3.10") and extra == "foo-bar"
                Provides-Extra: cli
                Requires-Dist: click; extra == "cli"
                Project-URL: Homepage, https://sochdb.dev
                Project-URL: Bug Tracker, https://github.com/sochdb/sochdb-python-sdk/issues
                Description-Content-Type: text/markdown

                # SochDB

                Hello.
                """);
        assertThat(CoreMetadata.metadataVersion(project)).isEqualTo("2.1");
        assertThat(CoreMetadata.licenseFolder(project)).isEmpty();
    }

    @Test
    void minimalProjectHasOnlyTheRequiredFields() {
        assertThat(CoreMetadata.render(minimal(null, null, List.of(), false), RELEASE))
                .isEqualTo("Metadata-Version: 2.1\nName: sochdb-client\nVersion: 0.3.2\n");
    }

    @Test
    void spdxExpressionMovesToMetadata24WithLicenseFiles() {
        ProjectMetadata project = minimal(null, "Apache-2.0", List.of("LICENSE", "licenses/NOTICE.txt"), true);
        assertThat(CoreMetadata.render(project, RELEASE)).isEqualTo("""
                Metadata-Version: 2.4
                Name: sochdb-client
                Version: 0.3.2
                License-Expression: Apache-2.0
                License-File: LICENSE
                License-File: licenses/NOTICE.txt
                """);
        assertThat(CoreMetadata.metadataVersion(project)).isEqualTo("2.4");
        assertThat(CoreMetadata.licenseFolder(project)).isEqualTo("licenses/");
    }

    // Declared license-files alone are a PEP 639 field, so they need 2.4 even without an expression.
    @Test
    void declaredLicenseFilesAloneAlsoNeed24() {
        ProjectMetadata project = minimal("MIT", null, List.of("COPYING"), true);
        assertThat(CoreMetadata.render(project, RELEASE)).startsWith("Metadata-Version: 2.4\n")
                .contains("License: MIT\nLicense-File: COPYING\n");
    }

    // Legacy metadata lists no License-File: older twine rejects the field under 2.1.
    @Test
    void defaultLicenseFilesStayOutOfMetadata21() {
        assertThat(CoreMetadata.render(minimal("MIT", null, List.of("LICENSE"), false), RELEASE))
                .doesNotContain("License-File");
    }

    @Test
    void multiLineLicenseTextIsFoldedWithEightSpaces() {
        ProjectMetadata project = minimal("Copyright 2025 SochDB\n\nPermission is granted.\r\nNo warranty.\n", null, List.of(), false);
        assertThat(CoreMetadata.render(project, RELEASE)).endsWith("License: Copyright 2025 SochDB\n"
                + "        \n"
                + "        Permission is granted.\n"
                + "        No warranty.\n");
    }

    @Test
    void summaryWithANewlineIsRefusedNamingTheField() {
        ProjectMetadata project = withSummary("first line\nsecond line");
        assertThatThrownBy(() -> CoreMetadata.render(project, RELEASE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Summary")
                .hasMessageNotContaining("\n");
    }

    private static ProjectMetadata minimal(String licenseText, String expression, List<String> licenseFiles, boolean declared) {
        return new ProjectMetadata(new ProjectName("sochdb-client"), null, null, null, null, licenseText, expression,
                licenseFiles, declared, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), Map.of(), Map.of());
    }

    private static ProjectMetadata withSummary(String summary) {
        return new ProjectMetadata(new ProjectName("sochdb-client"), null, summary, null, null, null, null,
                List.of(), false, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), Map.of(), Map.of());
    }
}
