package io.sochdb.release.pypi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.PyPIUpload;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;
import io.sochdb.release.packaging.Digests;

/**
 * Our legacy-API upload against twine 4.0.2 (Debian's {@code /usr/bin/twine}), the client PyPI is written for:
 * the same real file goes through both into a {@link FakePyPI}, and what the fake received must agree field by
 * field, in order. Warehouse takes the metadata of an sdist older than Metadata 2.2 from the form alone, so a field
 * we drop or rename is a silent difference on PyPI, not an error we would ever see.
 */
class TwineParityIT {

    private static final String VERSION = "0.3.2";
    private static final String TWINE = "/usr/bin/twine";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private static Path work;
    private static Path dist;

    @BeforeAll
    static void buildRealFilesOnce() throws IOException {
        work = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))), "twine-parity-it");
        dist = work.resolve("dist");
        String jar = System.getProperty("release.jar");
        assertThat(jar).as("system property release.jar (set by failsafe)").isNotBlank();
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("GITHUB_TOKEN", "PYPI_TOKEN", "DIST_DIR", "SOURCE_DATE_EPOCH")) {
            env.put(name, null);
        }
        Processes.Result release = Processes.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "release", "--version", VERSION, "--dry-run",
                "--archives", Fixtures.allPlatformArchives(work.resolve("archives"), VERSION).toString(),
                "--sdk-source", Fixtures.sdkSource(work.resolve("sdk")).toString(), "--dist", dist.toString()),
                env, work, TIMEOUT);
        assertThat(release.exitCode()).as(release.describe()).isZero();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null && !Boolean.getBoolean("sochdb.it.keep")) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl, wheel", "sochdb_client-0.3.2.tar.gz, sdist"})
    void ourUploadSendsWhatTwineSends(String filename, String kind) throws IOException {
        Path file = dist.resolve(filename);
        Sent twineSent;
        Sent ourSent;
        // A fresh fake per client: both uploads are the first of their file.
        try (FakePyPI fake = FakePyPI.start()) {
            twineSent = twineUpload(fake, file);
        }
        try (FakePyPI fake = FakePyPI.start()) {
            ourSent = ourUpload(fake, file, kind);
        }
        PyPIUpload twine = twineSent.upload();
        PyPIUpload ours = ourSent.upload();
        String both = "\ntwine: " + twineSent.mediaType() + "; " + describe(twine) + "\nours:  " + ourSent.mediaType() + "; " + describe(ours);

        if (!twine.accepted()) {
            // Twine 4.0.2 sends an sdist's pyversion empty, and Warehouse's UploadForm.full_validate makes an empty
            // sdist pyversion "source", so PyPI takes it. The fake requires a pyversion on every upload and refuses
            // twine's sdist; that is its only objection allowed here, and what twine sent is recorded all the same.
            assertThat(kind).as("twine's upload was refused" + both).isEqualTo("sdist");
            assertThat(twine.message()).as(both).isEqualTo("Missing required field 'pyversion'.");
        }
        assertThat(ours.status()).as("our upload" + both).isEqualTo(200);
        assertThat(ours.filename()).as("content filename" + both).isEqualTo(twine.filename()).isEqualTo(filename);
        assertThat(ours.contentType()).as("content part type" + both).isEqualTo(twine.contentType())
                .isEqualTo("application/octet-stream");
        assertThat(ours.size()).as("content size" + both).isEqualTo(twine.size()).isEqualTo(Files.size(file));
        assertThat(ours.sha256()).as("bytes received" + both).isEqualTo(twine.sha256());
        assertThat(ours.authUser()).isEqualTo(twine.authUser()).isEqualTo("__token__");

        // The metadata must be one that twine 4.0.2 (pkginfo 1.8.2) reads in full; otherwise it drops fields and the
        // comparison below would prove nothing about them.
        assertThat(twine.field("metadata_version")).as(both).isIn("1.0", "1.1", "1.2", "2.0", "2.1", "2.2");
        assertThat(twine.fieldValues("classifiers")).as("twine saw the metadata" + both).isNotEmpty();

        assertThat(ours.fields()).as("every field, in twine's order, with twine's values" + both)
                .containsExactlyElementsOf(expectedFromTwine(twine.fields(), kind));

        // The fields are UTF-8 (Warehouse decodes them so); a charset parameter on the request that says otherwise
        // invites an index that honours it (servlet-based ones do) to decode a non-ASCII README as something else.
        assertThat(ourSent.mediaType()).as("the request's Content-Type, boundary left out" + both)
                .isEqualTo(twineSent.mediaType()).isEqualTo("multipart/form-data");
    }

    /** One upload as the fake received it, and the request's Content-Type without its boundary. */
    private record Sent(PyPIUpload upload, String mediaType) {

        static Sent from(FakePyPI fake) {
            assertThat(fake.uploads()).as("exactly one upload, no retry").hasSize(1);
            assertThat(fake.violations()).isEmpty();
            Recorded post = fake.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/legacy/"))
                    .findFirst().orElseThrow();
            return new Sent(fake.uploads().get(0), post.header("Content-Type").replaceAll(";\\s*boundary=[^;]*", "").strip());
        }
    }

    /**
     * What twine sent, less what twine sends only because it is twine 4.0.2. Each exception here is a difference we
     * accept on purpose, asserted to be exactly that; anything else must be identical.
     */
    private static List<Map.Entry<String, String>> expectedFromTwine(List<Map.Entry<String, String>> twine, String kind) {
        // Twine 4.0.2 sends every metadata field the file lacks (and its own --comment) as an empty part: None becomes
        // an empty body in requests-toolbelt. Warehouse's upload form reads an empty field as a missing one
        // (wtforms Optional), and newer twine (built on packaging.metadata) sends only the fields the file has, as we do.
        List<String> emptyInTwine = twine.stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        List<String> nothingToSay = new ArrayList<>(List.of("home_page", "author", "maintainer", "download_url", "comment"));
        if (kind.equals("sdist")) {
            // Replaced below, not dropped: "source" is what Warehouse makes of twine's empty sdist pyversion.
            nothingToSay.add(0, "pyversion");
        }
        assertThat(emptyInTwine).as("the fields twine 4.0.2 sends empty").containsExactlyElementsOf(nothingToSay);
        List<Map.Entry<String, String>> expected = new ArrayList<>();
        for (Map.Entry<String, String> field : twine) {
            if (kind.equals("sdist") && field.getKey().equals("pyversion")) {
                expected.add(Map.entry("pyversion", "source"));
            } else if (!field.getValue().isEmpty()) {
                expected.add(field);
            }
        }
        return expected;
    }

    private static Sent twineUpload(FakePyPI fake, Path file) throws IOException {
        String token = fake.newApiToken();
        Path home = Files.createDirectories(work.resolve("home-" + System.nanoTime()));
        Map<String, String> env = new HashMap<>();
        // Nothing from this machine (a ~/.pypirc, TWINE_* settings, a keyring) may change what twine sends.
        System.getenv().keySet().stream().filter(n -> n.startsWith("TWINE_") || n.startsWith("PIP_")).forEach(n -> env.put(n, null));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring");
        env.put("COLUMNS", "250");
        Processes.Result upload = Processes.run(List.of(TWINE, "upload", "--non-interactive", "--disable-progress-bar",
                "--repository-url", fake.repositoryUrl(), "-u", "__token__", "-p", token, file.toString()), env, work, TIMEOUT);
        assertThat(fake.uploads()).as(upload.describe().replace(token, "***")).isNotEmpty();
        assertThat(upload.exitCode()).as(upload.describe().replace(token, "***")).isEqualTo(fake.uploads().get(0).accepted() ? 0 : 1);
        return Sent.from(fake);
    }

    private static Sent ourUpload(FakePyPI fake, Path file, String kind) throws IOException {
        String token = fake.newApiToken();
        PypiSettings settings = new PypiSettings(fake.repositoryUrl(), fake.baseUrl(), token, true, 100L << 20, 3,
                Duration.ofMillis(10), Duration.ofSeconds(5), null, null, null, null);
        try (PypiClient client = new PypiClient(settings, "twine-parity-it")) {
            PypiClient.Reply reply = client.upload(file, UploadForm.of(file, kind, Digests.all(file)), token);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        }
        return Sent.from(fake);
    }

    /** The fields as name=value lines, values cut short: the description alone is the whole README. */
    private static String describe(PyPIUpload upload) {
        List<String> lines = new ArrayList<>();
        lines.add(upload.toString() + " " + upload.contentType());
        upload.fields().forEach(e -> lines.add("  " + e.getKey() + "=" + abbreviate(e.getValue())));
        return lines.stream().collect(Collectors.joining("\n"));
    }

    private static String abbreviate(String value) {
        String oneLine = value.replace("\n", "\\n");
        return oneLine.length() > 90 ? oneLine.substring(0, 90) + "...(" + value.length() + " chars)" : oneLine;
    }
}
