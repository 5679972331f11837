package io.sochdb.release.pypi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdist.SdistBuilder;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.wheel.WheelBuilder;

class UploadFormTest {

    static final Platform LINUX = new Platform("x86_64-unknown-linux-gnu", "manylinux_2_17_x86_64",
        "sochdb-{version}-{triple}.tar.gz", List.of("sochdb-bulk", "sochdb-server"), List.of("libsochdb_storage.so"));
    static final List<String> CLASSIFIERS = List.of("Development Status :: 4 - Beta", "Intended Audience :: Developers",
        "License :: OSI Approved :: Apache Software License", "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.9", "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11", "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13", "Topic :: Database", "Operating System :: MacOS",
        "Operating System :: POSIX :: Linux", "Operating System :: Microsoft :: Windows");
    static final String TWINE_FORM = """
        import json, sys
        from twine.package import PackageFile
        from twine.repository import Repository
        data = PackageFile.from_filename(sys.argv[1], None).metadata_dictionary()
        data.update({":action": "file_upload", "protocol_version": "1"})
        print(json.dumps([[k, v] for k, v in Repository._convert_data_to_list_of_tuples(data) if v not in (None, "")]))
        """;

    @TempDir
    Path tmp;

    @Test
    void wheelFieldsAreTwinesNamesInTwinesOrderWithValuesFromTheWheelsMetadata() throws IOException {
        Path wheel = build(tmp, false).get(0);
        Digests.FileDigests digests = Digests.all(wheel);
        List<Map.Entry<String, String>> form = UploadForm.of(wheel, "wheel", digests);

        List<Map.Entry<String, String>> expected = new ArrayList<>(List.of(field("name", "sochdb-client"),
            field("version", "0.3.2"), field("filetype", "bdist_wheel"), field("pyversion", "py3"),
            field("metadata_version", "2.1"), field("summary", "SochDB is an AI-native database with token-optimized"
                + " output, built-in vector search, and durable transactions."),
            field("author", "Ada Lovelace"), field("author_email", "Sushanth Reddy Vanagala <sushanth@sochdb.dev>"),
            field("maintainer_email", "Sushanth <sushanth@sochdb.dev>"), field("license", "Apache-2.0"),
            field("description", Files.readString(tmp.resolve("sdk/README.md"))),
            field("keywords", "database,llm,ai,vector-search,embedded,key-value,sochdb")));
        CLASSIFIERS.forEach(c -> expected.add(field("classifiers", c)));
        expected.addAll(List.of(field("sha256_digest", digests.sha256()),
            field("project_urls", "Homepage, https://sochdb.dev"),
            field("project_urls", "Repository, https://github.com/sochdb/sochdb-python-sdk"),
            field("project_urls", "Bug Tracker, https://github.com/sochdb/sochdb-python-sdk/issues"),
            field("requires_dist", "posthog>=3.0.0; extra == \"analytics\""), field("requires_python", ">=3.9"),
            field("provides_extras", "analytics"), field("description_content_type", "text/markdown"),
            field("md5_digest", digests.md5()), field("blake2_256_digest", digests.blake2b256()),
            field(":action", "file_upload"), field("protocol_version", "1")));
        assertThat(form).containsExactlyElementsOf(expected);
        assertThat(form).allSatisfy(f -> assertThat(f.getValue()).as(f.getKey()).isNotBlank());
    }

    @Test
    void sdistIsASourceUploadWithTheSameMetadataFields() throws IOException {
        List<Path> files = build(tmp, false);
        List<Map.Entry<String, String>> wheel = UploadForm.of(files.get(0), "wheel", Digests.all(files.get(0)));
        Digests.FileDigests digests = Digests.all(files.get(1));
        List<Map.Entry<String, String>> sdist = UploadForm.of(files.get(1), "sdist", digests);

        assertThat(sdist).startsWith(field("name", "sochdb-client"), field("version", "0.3.2"),
            field("filetype", "sdist"), field("pyversion", "source"));
        assertThat(sdist).contains(field("sha256_digest", digests.sha256()), field("md5_digest", digests.md5()),
            field("blake2_256_digest", digests.blake2b256()));
        // PKG-INFO and METADATA are rendered from one pyproject, so only file type and digests may differ.
        List<String> kept = List.of("filetype", "pyversion", "sha256_digest", "md5_digest", "blake2_256_digest");
        assertThat(sdist).filteredOn(f -> !kept.contains(f.getKey()))
            .containsExactlyElementsOf(wheel.stream().filter(f -> !kept.contains(f.getKey())).toList());
    }

    @Test
    void digestsAgreeWithIndependentImplementations() throws Exception {
        for (Path file : build(tmp, false)) {
            byte[] bytes = Files.readAllBytes(file);
            List<Map.Entry<String, String>> form = UploadForm.of(file, file.toString().endsWith(".whl") ? "wheel" : "sdist",
                Digests.all(file));
            assertThat(value(form, "sha256_digest")).isEqualTo(hex("SHA-256", bytes));
            assertThat(value(form, "md5_digest")).isEqualTo(hex("MD5", bytes));
            Processes.Result python = Processes.run(Duration.ofSeconds(60), "/usr/bin/python3", "-c",
                "import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],'rb').read(), digest_size=32).hexdigest())",
                file.toString());
            assertThat(python.ok()).as(python.describe()).isTrue();
            assertThat(value(form, "blake2_256_digest")).isEqualTo(python.stdout().strip()).hasSize(64);
        }
    }

    @Test
    void formIsWhatTwine402SendsLeavingOutItsEmptyFields() throws IOException {
        for (Path file : build(tmp, false)) {
            assertSameAsTwine(file);
        }
    }

    /** A License folded over many lines ({@code license = {file = ...}}): pkginfo unfolds non-Description headers. */
    @Test
    void foldedLicenseIsSentAsTwineSendsIt() throws IOException {
        for (Path file : build(tmp, true)) {
            assertSameAsTwine(file);
        }
    }

    @Test
    void emptyAndUnknownHeadersSendNothingAndRepeatedOnesRepeatInOrder() throws IOException {
        Path wheel = tmp.resolve("tiny-1.0-py3-none-any.whl");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(wheel)) {
            out.putArchiveEntry(new ZipArchiveEntry("tiny-1.0.dist-info/METADATA"));
            out.write(("Metadata-Version: 2.1\nName: Tiny_Pkg\nVersion: 1.0\nSummary:\nHome-page: \nX-Custom: ignored\n"
                + "Platform: b\nPlatform: a\n").getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        List<Map.Entry<String, String>> form = UploadForm.of(wheel, "wheel", new Digests.FileDigests("s", "m", ""));
        // twine sends safe_name: runs of characters other than letters, digits and '.' become one '-'.
        assertThat(form).containsExactly(field("name", "Tiny-Pkg"), field("version", "1.0"),
            field("filetype", "bdist_wheel"), field("pyversion", "py3"), field("metadata_version", "2.1"),
            field("platform", "b"), field("platform", "a"), field("sha256_digest", "s"), field("md5_digest", "m"),
            field(":action", "file_upload"), field("protocol_version", "1"));
    }

    @Test
    void parseUnfoldsContinuationsKeepsRepeatsInOrderAndTakesTheBodyAfterTheFirstBlankLine() {
        CoreMetadataText text = CoreMetadataText.parse("Metadata-Version: 2.1\nName: x\nLicense: Apache License\n"
            + "        Version 2.0\n\tJanuary 2004\nClassifier: B\nClassifier: A\nClassifier: C\n\n# Title\n\n"
            + "Body: not a header\n");
        // Indentation goes and the words stay in order, whichever separator joins them.
        assertThat(text.first("License").split("\\s", -1))
            .containsExactly("Apache", "License", "Version", "2.0", "January", "2004");
        assertThat(text.all("Classifier")).containsExactly("B", "A", "C");
        assertThat(text.first("Name")).isEqualTo("x");
        assertThat(text.body()).isEqualTo("# Title\n\nBody: not a header\n");
        assertThat(text.first("Body")).isNull();
        assertThat(text.all("Missing")).isEmpty();

        CoreMetadataText headersOnly = CoreMetadataText.parse("Name: x\nVersion: 1\n");
        assertThat(headersOnly.body()).isEmpty();
        assertThat(headersOnly.first("Version")).isEqualTo("1");
    }

    // --- helpers ---

    /**
     * The wheel and sdist of the fixture SDK, with one author given without an e-mail so that METADATA holds both
     * Author and Author-email; {@code licenseFile} switches to a License header folded over the LICENSE text.
     */
    static List<Path> build(Path work, boolean licenseFile) throws IOException {
        Path sdk = Fixtures.sdkSource(work.resolve("sdk"));
        Path pyproject = sdk.resolve("pyproject.toml");
        String toml = Files.readString(pyproject).replace("authors = [\n", "authors = [\n    {name = \"Ada Lovelace\"},\n");
        if (licenseFile) {
            toml = toml.replace("license = {text = \"Apache-2.0\"}", "license = {file = \"LICENSE\"}");
        }
        Files.writeString(pyproject, toml);
        BuildContext build = new BuildContext(Version.parse("0.3.2"), "0.3.2", SdkProject.load(sdk, "sochdb"),
            Files.createDirectories(work.resolve("staging")), new SourceDate(SourceDate.DEFAULT));
        Path archive = Fixtures.platformArchive(work.resolve("upstream"), "0.3.2", LINUX.triple(), ArchiveOptions.defaults());
        Path wheel = new WheelBuilder(new ArchiveReader(new ArchiveLimits(1L << 30, 3L << 30, 10_000)), "sochdb", "test", 6)
            .build(new WheelJob(LINUX, archive, build)).wheel().path();
        return List.of(wheel, new SdistBuilder().build(build).path());
    }

    private static void assertSameAsTwine(Path file) throws IOException {
        Processes.Result twine = Processes.run(Duration.ofSeconds(120), "/usr/bin/python3", "-c", TWINE_FORM,
            file.toString());
        assumeThat(twine.stderr()).as("twine 4.0.2 for /usr/bin/python3").doesNotContain("ModuleNotFoundError");
        assertThat(twine.ok()).as(twine.describe()).isTrue();
        List<Map.Entry<String, String>> expected = new ArrayList<>();
        for (JsonNode pair : new ObjectMapper().readTree(twine.stdout())) {
            expected.add(field(pair.get(0).asText(), pair.get(1).asText()));
        }
        String kind = file.toString().endsWith(".whl") ? "wheel" : "sdist";
        if (kind.equals("sdist")) {
            // twine leaves an sdist's pyversion empty and PyPI fills in "source"; sending it is the same upload.
            assertThat(expected.get(3).getKey()).isEqualTo("metadata_version");
            expected.add(3, field("pyversion", "source"));
        }
        assertThat(UploadForm.of(file, kind, Digests.all(file))).as(file.getFileName().toString())
            .containsExactlyElementsOf(expected);
    }

    private static Map.Entry<String, String> field(String name, String value) {
        return new SimpleEntry<>(name, value);
    }

    private static String value(List<Map.Entry<String, String>> form, String name) {
        return form.stream().filter(f -> f.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElseThrow();
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}
