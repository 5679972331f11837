package io.sochdb.release.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.packaging.Person;
import io.sochdb.release.packaging.ProjectMetadata;

class SdkProjectTest {

    private static final String HEAD = "[project]\nname = \"sochdb-client\"\nversion = \"0.0.1\"\n";
    private static final String SRC_FIND = "\n[tool.setuptools.packages.find]\nwhere = [\"src\"]\n";
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};

    @TempDir
    Path tmp;

    @Test
    void readsEveryFieldOfTheFixtureProject() throws IOException {
        Path sdk = Fixtures.sdkSource(tmp.resolve("sdk"));
        ProjectMetadata m = SdkProject.load(sdk, "sochdb").metadata();

        assertThat(m.name().value()).isEqualTo("sochdb-client");
        assertThat(m.declaredVersion()).isEqualTo("0.0.1");
        assertThat(m.summary()).startsWith("SochDB is an AI-native database").endsWith("durable transactions.");
        assertThat(m.readme().text()).isEqualTo(Files.readString(sdk.resolve("README.md")));
        assertThat(m.readme().contentType()).isEqualTo("text/markdown");
        assertThat(m.requiresPython()).isEqualTo(">=3.9");
        assertThat(m.licenseText()).isEqualTo("Apache-2.0");
        assertThat(m.licenseExpression()).isNull();
        // setuptools' default globs pick LICENSE up; without PEP 639 fields the metadata must stay 2.1.
        assertThat(m.licenseFiles()).containsExactly("LICENSE");
        assertThat(m.usesPep639()).isFalse();
        assertThat(m.authors()).containsExactly(new Person("Sushanth Reddy Vanagala", "sushanth@sochdb.dev"));
        assertThat(m.maintainers()).containsExactly(new Person("Sushanth", "sushanth@sochdb.dev"));
        assertThat(m.keywords()).containsExactly("database", "llm", "ai", "vector-search", "embedded", "key-value", "sochdb");
        assertThat(m.classifiers()).hasSize(13).startsWith("Development Status :: 4 - Beta")
                .endsWith("Operating System :: Microsoft :: Windows");
        assertThat(m.urls()).containsExactly(entry("Homepage", "https://sochdb.dev"),
                entry("Repository", "https://github.com/sochdb/sochdb-python-sdk"),
                entry("Bug Tracker", "https://github.com/sochdb/sochdb-python-sdk/issues"));
        assertThat(m.dependencies()).isEmpty();
        assertThat(m.optionalDependencies()).containsExactly(entry("analytics", List.of("posthog>=3.0.0")));
        assertThat(m.entryPoints()).containsOnlyKeys("console_scripts");
        assertThat(m.entryPoints().get("console_scripts")).containsExactly(
                entry("sochdb-bulk", "sochdb.cli_bulk:main"),
                entry("sochdb-server", "sochdb.cli_server:main"),
                entry("sochdb-grpc-server", "sochdb.cli_grpc:main"));
    }

    @Test
    void fixtureShipsOnlyPythonSourcesAndLeavesTheStaleBuildOutputBehind() throws IOException {
        SdkProject sdk = SdkProject.load(Fixtures.sdkSource(tmp.resolve("sdk")), "sochdb");

        assertThat(sdk.packageFiles()).extracting(SourceFile::packagePath).containsExactly(
                "sochdb/__init__.py", "sochdb/cli_bulk.py", "sochdb/cli_grpc.py", "sochdb/cli_server.py",
                "sochdb/database.py", "sochdb/memory/__init__.py", "sochdb/memory/agent_memory.py");
        assertThat(sdk.packageFiles()).extracting(SourceFile::projectPath).allMatch(p -> p.startsWith("src/sochdb/"));
        assertThat(sdk.packageFiles()).filteredOn(SourceFile::versionFile).extracting(SourceFile::packagePath)
                .containsExactly("sochdb/__init__.py");

        SourceFile init = sdk.packageFiles().get(0);
        String stamped = new String(sdk.content(init, "0.3.2"), StandardCharsets.UTF_8);
        assertThat(stamped).contains("__version__ = \"0.3.2\"").doesNotContain("0.0.1");
        SourceFile database = sdk.packageFiles().get(4);
        assertThat(sdk.content(database, "0.3.2")).isEqualTo(Files.readAllBytes(database.file()));
    }

    @Test
    void theCoreVersionIsStampedWhenDeclaredAndLeftAloneWhenAbsent() throws IOException {
        Path root = Fixtures.sdkSource(tmp.resolve("sdk"));
        SdkProject sdk = SdkProject.load(root, "sochdb");
        SourceFile init = sdk.packageFiles().get(0);
        assertThat(sdk.declares(VersionStamp.CORE_VERSION)).isTrue();
        assertThat(new String(sdk.content(init, "0.3.3", "0.3.2"), StandardCharsets.UTF_8))
                .contains("__version__ = \"0.3.3\"", "__core_version__ = \"0.3.2\"").doesNotContain("0.0.0");

        Path init2 = root.resolve("src/sochdb/__init__.py");
        Files.writeString(init2, Files.readString(init2).replaceAll("(?m)^__core_version__.*$", ""));
        SdkProject without = SdkProject.load(root, "sochdb");
        assertThat(without.declares(VersionStamp.CORE_VERSION)).isFalse();
        assertThat(without.declares(VersionStamp.VERSION)).isTrue();
        String stamped = new String(without.content(without.packageFiles().get(0), "0.3.3", "0.3.2"), StandardCharsets.UTF_8);
        assertThat(stamped).contains("__version__ = \"0.3.3\"").doesNotContain("__core_version__ =", "0.3.2");
    }

    @Test
    void sdistExtrasHoldReadmeLicenseBuildFilesAndSourcesUnderTheirProjectPaths() throws IOException {
        Path root = Fixtures.sdkSource(tmp.resolve("sdk"));
        assertThat(SdkProject.load(root, "sochdb").sdistExtras()).extracting(SourceFile::projectPath)
                .startsWith("LICENSE", "README.md", "src/sochdb/__init__.py").doesNotContain("setup.cfg");

        write(root, "setup.cfg", "[metadata]\n");
        List<SourceFile> extras = SdkProject.load(root, "sochdb").sdistExtras();
        assertThat(extras).extracting(SourceFile::projectPath).containsExactly("LICENSE", "README.md", "setup.cfg",
                "src/sochdb/__init__.py", "src/sochdb/cli_bulk.py", "src/sochdb/cli_grpc.py", "src/sochdb/cli_server.py",
                "src/sochdb/database.py", "src/sochdb/memory/__init__.py", "src/sochdb/memory/agent_memory.py");
    }

    @Test
    void readmeContentTypeFollowsTheExtensionOrTheTable() {
        Path rst = tree(HEAD + "readme = \"README.rst\"\n" + SRC_FIND, "README.rst", "SochDB\n======\n");
        assertThat(SdkProject.load(rst, "sochdb").metadata().readme())
                .satisfies(r -> assertThat(r.text()).isEqualTo("SochDB\n======\n"))
                .satisfies(r -> assertThat(r.contentType()).isEqualTo("text/x-rst"));

        Path table = tree(HEAD + "readme = {file = \"docs/intro.txt\", content-type = \"text/markdown\"}\n" + SRC_FIND,
                "docs/intro.txt", "# intro\n");
        assertThat(SdkProject.load(table, "sochdb").metadata().readme().contentType()).isEqualTo("text/markdown");
    }

    @Test
    void licenseFileIsReadAsLegacyLicenseText() {
        Path root = tree(HEAD + "license = {file = \"COPYING.txt\"}\n" + SRC_FIND, "COPYING.txt", "All rights reserved.\n");
        ProjectMetadata m = SdkProject.load(root, "sochdb").metadata();
        assertThat(m.licenseText()).isEqualTo("All rights reserved.\n");
        assertThat(m.licenseFiles()).containsExactly("COPYING.txt");
        assertThat(m.usesPep639()).isFalse();
    }

    @Test
    void spdxLicenseStringIsAPep639Expression() {
        ProjectMetadata m = SdkProject.load(tree(HEAD + "license = \"Apache-2.0 OR MIT\"\n" + SRC_FIND), "sochdb").metadata();
        assertThat(m.licenseExpression()).isEqualTo("Apache-2.0 OR MIT");
        assertThat(m.licenseText()).isNull();
        assertThat(m.licenseFilesDeclared()).isFalse();
        assertThat(m.usesPep639()).isTrue();
    }

    @Test
    void licenseFilesGlobsAreExpandedAndSorted() {
        Path root = tree(HEAD + "license = \"Apache-2.0\"\nlicense-files = [\"LICEN[CS]E*\", \"licenses/*.txt\"]\n" + SRC_FIND,
                "LICENSE", "a", "LICENSE.thirdparty", "b", "licenses/zlib.txt", "c", "licenses/bsd.txt", "d",
                "licenses/README.md", "e");
        ProjectMetadata m = SdkProject.load(root, "sochdb").metadata();
        assertThat(m.licenseFiles()).containsExactly("LICENSE", "LICENSE.thirdparty", "licenses/bsd.txt", "licenses/zlib.txt");
        assertThat(m.licenseFilesDeclared()).isTrue();
        assertThat(m.usesPep639()).isTrue();
    }

    @Test
    void licenseFilesGlobMatchingNothingIsNamed() {
        Path root = tree(HEAD + "license-files = [\"LICENSE\", \"NOTICE*\"]\n" + SRC_FIND, "LICENSE", "x");
        assertThatThrownBy(() -> SdkProject.load(root, "sochdb"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("\"NOTICE*\"");
    }

    @Test
    void peopleMayHaveOnlyANameOrOnlyAnEmail() {
        Path root = tree(HEAD + """
                authors = [{name = "Jane Doe", email = "jane@sochdb.dev"}, {name = "Solo"}]
                maintainers = [{email = "team@sochdb.dev"}]
                """ + SRC_FIND);
        ProjectMetadata m = SdkProject.load(root, "sochdb").metadata();
        assertThat(m.authors()).containsExactly(new Person("Jane Doe", "jane@sochdb.dev"), new Person("Solo", null));
        assertThat(m.maintainers()).containsExactly(new Person(null, "team@sochdb.dev"));
    }

    @Test
    void dynamicVersionIsAllowedButOtherDynamicFieldsAreNamed() {
        String dynamicVersion = "[project]\nname = \"sochdb-client\"\ndynamic = [\"version\"]\n" + SRC_FIND;
        assertThat(SdkProject.load(tree(dynamicVersion), "sochdb").metadata().declaredVersion()).isNull();

        String dynamicDeps = "[project]\nname = \"sochdb-client\"\nversion = \"1\"\ndynamic = [\"dependencies\"]\n" + SRC_FIND;
        assertThatThrownBy(() -> SdkProject.load(tree(dynamicDeps), "sochdb"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("\"dependencies\"");
    }

    @Test
    void brokenPyprojectsAreRefusedWithAClearMessage() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertInvalid(empty, "has no pyproject.toml");
        assertInvalid(tree("[tool.setuptools]\npackages = [\"sochdb\"]\n"), "has no [project] table");
        assertInvalid(tree("[project]\nversion = \"1.0\"\n" + SRC_FIND), "[project].name is missing");
        assertInvalid(tree("[project\nname = \"x\"\n"), "is not valid TOML");
    }

    @Test
    void readmeOutsideTheSourceIsRefused() throws IOException {
        Path root = tree(HEAD + "readme = \"../outside.md\"\n" + SRC_FIND);
        Files.writeString(root.resolveSibling("outside.md"), "secret\n");
        assertInvalid(root, "outside");
    }

    @Test
    void srcLayoutViaPackagesFind() {
        Path root = tree(HEAD + SRC_FIND, "src/other/__init__.py", "");
        SdkProject sdk = SdkProject.load(root, "sochdb");
        assertThat(sdk.packageFiles()).extracting(SourceFile::packagePath)
                .containsExactly("other/__init__.py", "sochdb/__init__.py");
        assertThat(sdk.packageFiles()).extracting(SourceFile::projectPath)
                .containsExactly("src/other/__init__.py", "src/sochdb/__init__.py");
    }

    @Test
    void flatLayoutDiscoverySkipsTestsAndDocs() {
        Path root = write(tmp.resolve("flat"), "pyproject.toml", HEAD);
        write(root, "sochdb/__init__.py", "");
        write(root, "tests/__init__.py", "");
        write(root, "docs/__init__.py", "");
        SdkProject sdk = SdkProject.load(root, "sochdb");
        assertThat(sdk.packageFiles()).extracting(SourceFile::packagePath, SourceFile::projectPath)
                .containsExactly(tuple("sochdb/__init__.py", "sochdb/__init__.py"));
    }

    @Test
    void explicitSetuptoolsPackagesWithPackageDir() {
        Path root = tree(HEAD + "\n[tool.setuptools]\npackages = [\"sochdb\", \"sochdb.memory\"]\npackage-dir = {\"\" = \"src\"}\n",
                "src/sochdb/memory/__init__.py", "", "src/unlisted/__init__.py", "");
        assertThat(SdkProject.load(root, "sochdb").packageFiles()).extracting(SourceFile::packagePath)
                .containsExactly("sochdb/__init__.py", "sochdb/memory/__init__.py");
    }

    @Test
    void hatchWheelPackages() {
        Path root = tree(HEAD + "\n[tool.hatch.build.targets.wheel]\npackages = [\"src/sochdb\"]\n");
        assertThat(SdkProject.load(root, "sochdb").packageFiles()).extracting(SourceFile::projectPath)
                .containsExactly("src/sochdb/__init__.py");
    }

    @Test
    void missingBinaryPackageListsWhatWasFound() {
        Path root = write(tmp.resolve("flat"), "pyproject.toml", HEAD);
        write(root, "alpha/__init__.py", "");
        write(root, "beta/__init__.py", "");
        assertInvalid(root, "no package \"sochdb\"");
        assertInvalid(root, "found: alpha, beta");
    }

    @Test
    void packageFilesLeaveOutTestsCachesHiddenCompiledAndReleaseOwnedFiles() throws IOException {
        Path root = tree(HEAD + SRC_FIND,
                "src/sochdb/core.py", "x = 1\n",
                "src/sochdb/data/schema.json", "{}\n",
                "src/sochdb/sub/__init__.py", "",
                "src/sochdb/sub/deep/mod.py", "",
                "src/sochdb/tests/test_core.py", "",
                "src/sochdb/__pycache__/core.cpython-311.pyc", "x",
                "src/sochdb/stale.pyc", "x",
                "src/sochdb/.secret.py", "",
                "src/sochdb/.cache/x.py", "",
                "src/sochdb/_native.so", "not really elf",
                "src/sochdb/helper.dll", "not really pe",
                "src/sochdb/_bin/x86_64-unknown-linux-gnu/sochdb-bulk", "#!/bin/sh\n",
                "src/sochdb/lib/x86_64-unknown-linux-gnu/README.txt", "stale\n");
        Files.write(root.resolve("src/sochdb/native_helper"), ELF);

        assertThat(SdkProject.load(root, "sochdb").packageFiles()).extracting(SourceFile::packagePath).containsExactly(
                "sochdb/__init__.py", "sochdb/core.py", "sochdb/data/schema.json", "sochdb/sub/__init__.py",
                "sochdb/sub/deep/mod.py");
    }

    @Test
    void libThatIsARealSubpackageShips() {
        Path root = tree(HEAD + SRC_FIND, "src/sochdb/lib/__init__.py", "", "src/sochdb/lib/util.py", "",
                "src/sochdb/_bin/tool", "");
        assertThat(SdkProject.load(root, "sochdb").packageFiles()).extracting(SourceFile::packagePath)
                .containsExactly("sochdb/__init__.py", "sochdb/lib/__init__.py", "sochdb/lib/util.py");
    }

    @Test
    void symbolicLinkInAPackageIsRefused() throws IOException {
        Path root = tree(HEAD + SRC_FIND, "real.py", "x = 1\n");
        Files.createSymbolicLink(root.resolve("src/sochdb/linked.py"), root.resolve("real.py"));
        assertInvalid(root, "src/sochdb/linked.py");
    }

    @Test
    void versionIsStampedIntoTheTopLevelInitOnly() throws IOException {
        Path root = tree(HEAD + SRC_FIND, "src/sochdb/memory/__init__.py", "__version__ = \"9.9.9\"\n");
        SdkProject sdk = SdkProject.load(root, "sochdb");
        Map<String, SourceFile> byPath = sdk.packageFiles().stream()
                .collect(Collectors.toMap(SourceFile::packagePath, Function.identity()));

        assertThat(new String(sdk.content(byPath.get("sochdb/__init__.py"), "0.3.2"), StandardCharsets.UTF_8))
                .isEqualTo("__version__ = \"0.3.2\"\n");
        assertThat(new String(sdk.content(byPath.get("sochdb/memory/__init__.py"), "0.3.2"), StandardCharsets.UTF_8))
                .isEqualTo("__version__ = \"9.9.9\"\n");
    }

    // A symlinked LICENSE is followed into the wheel's .dist-info (a file from outside the source, which SafePaths
    // exists to stop) yet silently dropped from the sdist; package files are refused, so this should be too.
    @Test
    void symbolicLinkAsLicenseFileIsRefused() throws IOException {
        Path root = tree(HEAD + SRC_FIND);
        Path foreign = Files.writeString(tmp.resolve("foreign.txt"), "not the SDK's license\n");
        Files.createSymbolicLink(root.resolve("LICENSE"), foreign);
        assertInvalid(root, "LICENSE");
    }

    /** A src-layout SDK with an empty sochdb package plus extra files given as path, content pairs. */
    private Path tree(String pyproject, String... files) {
        Path root = write(tmp.resolve("sdk"), "pyproject.toml", pyproject);
        write(root, "src/sochdb/__init__.py", "__version__ = \"0.0.1\"\n");
        for (int i = 0; i < files.length; i += 2) {
            write(root, files[i], files[i + 1]);
        }
        return root;
    }

    private static Path write(Path root, String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertInvalid(Path root, String message) {
        assertThatThrownBy(() -> SdkProject.load(root, "sochdb"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
    }
}
