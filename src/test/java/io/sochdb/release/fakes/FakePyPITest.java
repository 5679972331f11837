package io.sochdb.release.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sochdb.release.fakes.PyPIHttp.Reply;
import io.sochdb.release.fixtures.Processes;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FakePyPITest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "sochdb-client";
    private static final String V1_JSON = "application/vnd.pypi.simple.v1+json";

    private final PyPIHttp http = new PyPIHttp();
    private FakePyPI pypi;

    @AfterEach
    void stop() throws Exception {
        http.close();
        if (pypi != null) {
            pypi.close();
        }
    }

    private Reply upload(String token, String version, byte[] content) {
        String filename = TinyWheel.filename(NAME, version);
        return http.upload(pypi.repositoryUrl(), token, PyPIHttp.twineFields(NAME, version, filename,
            TinyWheel.sha256(content)), filename, content);
    }

    @Test
    void storesAnUploadAcceptsAnIdenticalOneAndRefusesOtherBytesUnderTheSameName() {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        byte[] wheel = TinyWheel.build(NAME, "1.0.0", ">=3.9");
        assertThat(upload(token, "1.0.0", wheel).status()).isEqualTo(200);

        String filename = "sochdb_client-1.0.0-py3-none-any.whl";
        assertThat(pypi.files()).containsExactly(Map.entry(filename, TinyWheel.sha256(wheel)));
        assertThat(pypi.fileBytes(filename)).isEqualTo(wheel);
        PyPIUpload seen = pypi.uploads().get(0);
        assertThat(seen.filename()).isEqualTo(filename);
        assertThat(seen.authUser()).isEqualTo("__token__");
        assertThat(seen.authorizationPresent()).isTrue();
        assertThat(seen.size()).isEqualTo(wheel.length);
        assertThat(seen.contentType()).isEqualTo("application/octet-stream");
        assertThat(seen.fields()).extracting(Map.Entry::getKey).startsWith("name", "version", "filetype")
            .endsWith(":action", "protocol_version");
        assertThat(seen.fieldValues("classifiers")).hasSize(2);
        assertThat(seen.field("summary")).isEqualTo("SochDB client — tiny");

        assertThat(upload(token, "1.0.0", wheel).status()).isEqualTo(200);
        assertThat(pypi.files()).hasSize(1);

        byte[] other = TinyWheel.build(NAME, "1.0.0", ">=3.10");
        Reply clash = upload(token, "1.0.0", other);
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.contentType()).startsWith("text/html");
        assertThat(clash.body()).contains("File already exists (&#x27;" + filename + "&#x27;, with blake2_256 hash &#x27;"
            + Blake2b.hex256(other) + "&#x27;). See https://pypi.org/help/#file-name-reuse");
        assertThat(pypi.uploads().get(2).message()).startsWith("File already exists ('" + filename + "'");
        assertThat(pypi.fileBytes(filename)).isEqualTo(wheel);
        assertThat(pypi.violations()).isEmpty();
    }

    @Test
    void answersErrorsAsJsonWhenAskedAndChecksWarehouseRules() {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        byte[] wheel = TinyWheel.build(NAME, "2.0.0", null);
        String filename = TinyWheel.filename(NAME, "2.0.0");
        List<Map.Entry<String, String>> fields = PyPIHttp.twineFields(NAME, "2.0.0", filename, TinyWheel.sha256(wheel));

        Reply mismatch = http.upload(pypi.repositoryUrl(), token, PyPIHttp.with(fields, "sha256_digest",
            "00".repeat(32)), filename, wheel);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).contains("The digest supplied does not match");
        Reply missing = http.upload(pypi.repositoryUrl(), token, PyPIHttp.with(fields, "metadata_version", null),
            filename, wheel);
        assertThat(missing.body()).contains("Missing required field &#x27;metadata_version&#x27;");

        String linux = "sochdb_client-2.0.0-cp311-cp311-linux_x86_64.whl";
        Reply platform = http.upload(pypi.repositoryUrl(), token, PyPIHttp.with(fields, "pyversion", "cp311"), linux,
            wheel);
        assertThat(pypi.uploads().get(2).message())
            .isEqualTo("Binary wheel '" + linux + "' has an unsupported platform tag 'linux_x86_64'.");
        assertThat(platform.status()).isEqualTo(400);

        pypi.addFile(filename, wheel);
        pypi.deleteFile(filename);
        Reply reused = http.execute(accepting("application/json", pypi.repositoryUrl(), token, fields, filename, wheel));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.contentType()).isEqualTo("application/json");
        JsonNode json = read(reused.body());
        assertThat(json.get("code").asText()).startsWith("400 This filename has already been used, use a different"
            + " version.");
        assertThat(json.get("message").asText()).contains("This filename has already been used");

        pypi.tooLateAfter("SochDB_Client", "2.0.0");
        String sdist = "sochdb_client-2.0.0.tar.gz";
        Reply late = http.upload(pypi.repositoryUrl(), token, PyPIHttp.twineFields(NAME, "2.0.0", sdist,
            TinyWheel.sha256(wheel)), sdist, wheel);
        assertThat(late.status()).isEqualTo(400);
        assertThat(pypi.uploads()).last().extracting(PyPIUpload::message).isEqualTo(FakePyPI.TOO_LATE);
        assertThat(pypi.files()).isEmpty();
    }

    private static org.apache.hc.core5.http.ClassicHttpRequest accepting(String accept, String url, String token,
        List<Map.Entry<String, String>> fields, String filename, byte[] content) {
        var post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
        post.setHeader("Accept", accept);
        post.setHeader("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString(("__token__:" + token).getBytes(StandardCharsets.UTF_8)));
        post.setEntity(PyPIHttp.form(fields, null).addBinaryBody("content", content,
            ContentType.APPLICATION_OCTET_STREAM, filename).build());
        return post;
    }

    @Test
    void refusesMissingAndWrongCredentialsWith403() {
        pypi = FakePyPI.start();
        byte[] wheel = TinyWheel.build(NAME, "1.0.0", null);
        String filename = TinyWheel.filename(NAME, "1.0.0");
        List<Map.Entry<String, String>> fields = PyPIHttp.twineFields(NAME, "1.0.0", filename, TinyWheel.sha256(wheel));

        Reply wrong = upload("pypi-not-a-token", "1.0.0", wheel);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).contains("Invalid or non-existent authentication information. See"
            + " https://pypi.org/help/#invalid-auth for more information.");
        MultipartEntityBuilder form = PyPIHttp.form(fields, null).addBinaryBody("content", wheel,
            ContentType.APPLICATION_OCTET_STREAM, filename);
        assertThat(http.uploadWith(pypi.repositoryUrl(), null, null, form).status()).isEqualTo(403);
        assertThat(pypi.uploads()).last().satisfies(u -> {
            assertThat(u.authorizationPresent()).isFalse();
            assertThat(u.message()).isEqualTo(FakePyPI.INVALID_AUTH);
        });
        pypi.acceptLogin("alice", "secret");
        form = PyPIHttp.form(fields, null).addBinaryBody("content", wheel, ContentType.APPLICATION_OCTET_STREAM,
            filename);
        assertThat(http.uploadWith(pypi.repositoryUrl(), "alice", "secret", form).status()).isEqualTo(403);
        assertThat(pypi.uploads()).last().extracting(PyPIUpload::message).isEqualTo(FakePyPI.PASSWORD_AUTH);
        assertThat(pypi.files()).isEmpty();
        assertThat(pypi.requests()).allSatisfy(r -> assertThat(String.valueOf(r.headers())).doesNotContain("secret"));
    }

    @Test
    void aPrivateIndexRefusesAnyReUploadAndHasNoJsonApiOrOidc() {
        pypi = FakePyPI.startPrivateIndex();
        pypi.acceptLogin("alice", "secret");
        byte[] wheel = TinyWheel.build(NAME, "1.0.0", ">=3.9");
        String filename = TinyWheel.filename(NAME, "1.0.0");
        List<Map.Entry<String, String>> fields = PyPIHttp.twineFields(NAME, "1.0.0", filename, TinyWheel.sha256(wheel));
        for (int expected : new int[] {200, 409}) {
            MultipartEntityBuilder form = PyPIHttp.form(fields, null).addBinaryBody("content", wheel,
                ContentType.APPLICATION_OCTET_STREAM, filename);
            Reply reply = http.uploadWith(pypi.repositoryUrl(), "alice", "secret", form);
            assertThat(reply.status()).isEqualTo(expected);
        }
        assertThat(pypi.uploads().get(1).message()).isEqualTo("File already exists: " + filename);

        assertThat(http.get(pypi.baseUrl() + "/pypi/" + NAME + "/1.0.0/json", null).status()).isEqualTo(404);
        assertThat(http.get(pypi.baseUrl() + "/_/oidc/audience", null).status()).isEqualTo(404);
        Reply simple = http.get(pypi.simpleUrl() + NAME + "/", V1_JSON);
        assertThat(simple.status()).isEqualTo(200);
        assertThat(simple.contentType()).startsWith("text/html");
        assertThat(simple.body()).contains("href=\"/files/" + filename + "#sha256=" + TinyWheel.sha256(wheel) + "\"");
    }

    @Test
    void listsFilesInTheJsonApiAndBothSimpleFormats() throws Exception {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        byte[] wheel = TinyWheel.build(NAME, "1.0.0", ">=3.9");
        String filename = TinyWheel.filename(NAME, "1.0.0");
        assertThat(http.get(pypi.baseUrl() + "/pypi/" + NAME + "/1.0.0/json", null).status()).isEqualTo(404);
        assertThat(upload(token, "1.0.0", wheel).status()).isEqualTo(200);

        JsonNode release = read(http.get(pypi.baseUrl() + "/pypi/" + NAME + "/1.0.0/json", null).body());
        assertThat(release.at("/info/name").asText()).isEqualTo(NAME);
        assertThat(release.at("/info/version").asText()).isEqualTo("1.0.0");
        JsonNode url = release.at("/urls/0");
        assertThat(url.get("filename").asText()).isEqualTo(filename);
        assertThat(url.get("packagetype").asText()).isEqualTo("bdist_wheel");
        assertThat(url.at("/digests/sha256").asText()).isEqualTo(TinyWheel.sha256(wheel));
        assertThat(url.at("/digests/md5").asText())
            .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(wheel)));
        assertThat(url.at("/digests/blake2b_256").asText()).isEqualTo(Blake2b.hex256(wheel));
        assertThat(url.get("size").asLong()).isEqualTo(wheel.length);
        assertThat(url.get("url").asText()).isEqualTo(pypi.fileUrl(filename));
        assertThat(http.get(pypi.baseUrl() + "/pypi/sochdb_client/2.0.0/json", null).status()).isEqualTo(404);
        JsonNode project = read(http.get(pypi.baseUrl() + "/pypi/SochDB.Client/json", null).body());
        assertThat(project.at("/releases/1.0.0/0/filename").asText()).isEqualTo(filename);
        assertThat(http.get(pypi.simpleUrl(), null).body()).contains("<a href=\"/simple/" + NAME + "/\">");

        Reply json = http.get(pypi.simpleUrl() + NAME + "/", V1_JSON + ", text/html;q=0.01");
        assertThat(json.contentType()).isEqualTo(V1_JSON);
        JsonNode index = read(json.body());
        assertThat(index.at("/meta/api-version").asText()).isEqualTo("1.1");
        assertThat(index.get("name").asText()).isEqualTo(NAME);
        assertThat(index.at("/files/0/filename").asText()).isEqualTo(filename);
        assertThat(index.at("/files/0/hashes/sha256").asText()).isEqualTo(TinyWheel.sha256(wheel));
        assertThat(index.at("/files/0/requires-python").asText()).isEqualTo(">=3.9");

        Reply html = http.get(pypi.simpleUrl() + NAME + "/", null);
        assertThat(html.contentType()).startsWith("text/html");
        assertThat(html.body()).contains("<a href=\"/files/" + filename + "#sha256=" + TinyWheel.sha256(wheel)
            + "\" data-requires-python=\"&gt;=3.9\">" + filename + "</a>");
        Reply moved = http.get(pypi.simpleUrl() + "SochDB_Client/", null);
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.location()).isEqualTo(pypi.simpleUrl() + NAME + "/");
        Reply file = http.get(pypi.fileUrl(filename), null);
        assertThat(file.status()).isEqualTo(200);
        assertThat(pypi.violations()).isEmpty();
    }

    @Test
    void delaysNewFilesInListingsForTheReadsAsked() {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        pypi.delayListing(2);
        assertThat(upload(token, "1.0.0", TinyWheel.build(NAME, "1.0.0", null)).status()).isEqualTo(200);
        assertThat(http.get(pypi.simpleUrl() + NAME + "/", null).status()).isEqualTo(404);
        assertThat(http.get(pypi.baseUrl() + "/pypi/" + NAME + "/1.0.0/json", null).status()).isEqualTo(404);
        assertThat(http.get(pypi.baseUrl() + "/pypi/" + NAME + "/1.0.0/json", null).status()).isEqualTo(200);
        assertThat(http.get(pypi.simpleUrl() + NAME + "/", null).status()).isEqualTo(200);
        assertThat(pypi.files()).hasSize(1);

        pypi.reset();
        assertThat(pypi.files()).isEmpty();
        assertThat(pypi.uploads()).isEmpty();
        assertThat(upload(token, "1.0.0", TinyWheel.build(NAME, "1.0.0", null)).status()).isEqualTo(403);
        assertThat(pypi.requests()).hasSize(1);
    }

    @Test
    void mintsTokensForAnAcceptedIdTokenAndFailsAsForced() {
        pypi = FakePyPI.start();
        Reply audience = http.get(pypi.baseUrl() + "/_/oidc/audience", null);
        assertThat(read(audience.body()).get("audience").asText()).isEqualTo("pypi");

        String mintUrl = pypi.baseUrl() + "/_/oidc/mint-token";
        pypi.idToken("id-token-1");
        Reply minted = http.postJson(mintUrl, "{\"token\": \"id-token-1\"}");
        assertThat(minted.status()).isEqualTo(200);
        JsonNode ok = read(minted.body());
        assertThat(ok.get("success").asBoolean()).isTrue();
        String token = ok.get("token").asText();
        assertThat(token).startsWith("pypi-");
        assertThat(ok.get("expires").asLong()).isGreaterThan(System.currentTimeMillis() / 1000 + 800);
        assertThat(pypi.mintedTokens()).containsExactly(token);
        assertThat(upload(token, "1.0.0", TinyWheel.build(NAME, "1.0.0", null)).status()).isEqualTo(200);

        assertMintError(http.postJson(mintUrl, "{\"token\": \"someone-else\"}"), "invalid-publisher",
            "valid token, but no corresponding publisher");
        assertMintError(http.postJson(mintUrl, "not json"), "invalid-payload", "payload is not valid JSON");
        for (String code : List.of("invalid-token", "invalid-payload", "not-enabled", "invalid-pypi-token")) {
            pypi.mintError(code, code.equals("not-enabled") ? null : "forced " + code);
            assertMintError(http.postJson(mintUrl, "{\"token\": \"id-token-1\"}"), code,
                code.equals("not-enabled") ? "trusted publishing functionality not enabled" : "forced " + code);
        }

        pypi.expireMintedTokens();
        Reply expired = upload(token, "1.0.1", TinyWheel.build(NAME, "1.0.1", null));
        assertThat(expired.status()).isEqualTo(403);
        assertThat(pypi.uploads()).last().extracting(PyPIUpload::message)
            .isEqualTo("Invalid API Token: token is expired");
        String fresh = read(http.postJson(mintUrl, "{\"token\": \"id-token-1\"}").body()).get("token").asText();
        assertThat(upload(fresh, "1.0.1", TinyWheel.build(NAME, "1.0.1", null)).status()).isEqualTo(200);
        assertThat(pypi.violations()).isEmpty();
    }

    private static void assertMintError(Reply reply, String code, String description) {
        assertThat(reply.status()).isEqualTo(422);
        JsonNode json = read(reply.body());
        assertThat(json.get("message").asText()).isEqualTo("Token request failed");
        assertThat(json.at("/errors/0/code").asText()).isEqualTo(code);
        assertThat(json.at("/errors/0/description").asText()).contains(description);
    }

    @Test
    void handsOutIdTokensFromGitHubActionsAndTheGoogleMetadataServer() {
        pypi = FakePyPI.start();
        String url = pypi.actionsTokenUrl() + "&audience=pypi";
        assertThat(http.getWith(url, Map.of()).status()).isEqualTo(401);
        Reply actions = http.getWith(url, Map.of("Authorization", "bearer " + pypi.actionsRequestToken()));
        assertThat(actions.status()).isEqualTo(200);
        String idToken = read(actions.body()).get("value").asText();
        assertThat(idToken).isEqualTo(pypi.idToken()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        String gce = pypi.gceMetadataUrl() + "/instance/service-accounts/default/identity?audience=pypi&format=full";
        assertThat(http.getWith(gce, Map.of()).status()).isEqualTo(403);
        Reply google = http.getWith(gce, Map.of("Metadata-Flavor", "Google"));
        assertThat(google.status()).isEqualTo(200);
        assertThat(google.body()).isEqualTo(idToken);

        Reply minted = http.postJson(pypi.baseUrl() + "/_/oidc/mint-token", "{\"token\":\"" + idToken + "\"}");
        assertThat(minted.status()).isEqualTo(200);
        assertThat(pypi.violations()).isEmpty();

        Reply other = http.getWith(pypi.actionsTokenUrl() + "&audience=sigstore",
            Map.of("Authorization", "Bearer " + pypi.actionsRequestToken()));
        assertThat(read(other.body()).get("value").asText()).isNotEqualTo(idToken);
        assertThat(pypi.violations()).singleElement().asString().contains("audience 'sigstore'");
        http.getWith(pypi.simpleUrl(), Map.of("Authorization", "bearer " + pypi.actionsRequestToken()));
        assertThat(pypi.violations()).hasSize(2).last().asString().contains("GET /simple/")
            .doesNotContain(pypi.actionsRequestToken());
    }

    @Test
    void injectsFaultsAndRedirectsTheSlashlessEndpoint() {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        byte[] wheel = TinyWheel.build(NAME, "1.0.0", null);
        pypi.failNext("POST", "^/legacy/$", 503, 1);
        assertThat(upload(token, "1.0.0", wheel).status()).isEqualTo(503);
        assertThat(pypi.files()).isEmpty();
        assertThat(upload(token, "1.0.0", wheel).status()).isEqualTo(200);

        pypi.dropResponseNext("POST", "^/legacy/$", 1);
        byte[] second = TinyWheel.build(NAME, "1.0.1", null);
        assertThatThrownBy(() -> upload(token, "1.0.1", second)).isInstanceOf(UncheckedIOException.class);
        assertThat(pypi.files()).containsKey(TinyWheel.filename(NAME, "1.0.1"));
        assertThat(upload(token, "1.0.1", second).status()).isEqualTo(200);

        pypi.dropNext("GET", "^/simple/", 1);
        assertThatThrownBy(() -> http.get(pypi.simpleUrl() + NAME + "/", null)).isInstanceOf(UncheckedIOException.class);
        assertThat(http.get(pypi.simpleUrl() + NAME + "/", null).status()).isEqualTo(200);
        assertThat(pypi.pendingFaults()).isZero();

        String filename = TinyWheel.filename(NAME, "1.0.0");
        Reply moved = http.upload(pypi.baseUrl() + "/legacy", token, PyPIHttp.twineFields(NAME, "1.0.0", filename,
            TinyWheel.sha256(wheel)), filename, wheel);
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.location()).isEqualTo(pypi.repositoryUrl());
        pypi.legacyRedirectStatus(308);
        assertThat(http.get(pypi.baseUrl() + "/legacy", null).status()).isEqualTo(308);
        assertThat(pypi.violations()).isEmpty();
        assertThat(http.get(pypi.repositoryUrl(), null).status()).isEqualTo(405);
        assertThat(pypi.violations()).singleElement().asString().contains("GET /legacy/");
    }

    @Test
    void parsesBoundaryLookalikesInsideTheFileAndFlagsNonUtf8Fields() {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        String filename = TinyWheel.filename(NAME, "1.0.0");
        // Near-misses of the delimiter, many of them straddling the parser's 64 KiB buffer edges.
        StringBuilder tricky = new StringBuilder();
        for (int i = 0; tricky.length() < 300_000; i++) {
            tricky.append("\r\n--Bound4r").append(i % 7 == 0 ? "\r\n" : "-").append("\r\n--Bound4").append(i);
        }
        byte[] content = tricky.toString().getBytes(StandardCharsets.ISO_8859_1);
        List<Map.Entry<String, String>> fields = PyPIHttp.with(PyPIHttp.twineFields(NAME, "1.0.0", filename,
            TinyWheel.sha256(content)), "summary", "Caf\u00e9 client");
        MultipartEntityBuilder form = PyPIHttp.form(fields, ContentType.TEXT_PLAIN.withCharset("ISO-8859-1"))
            .setBoundary("Bound4ry").addBinaryBody("content", content, ContentType.APPLICATION_OCTET_STREAM, filename);
        assertThat(http.uploadWith(pypi.repositoryUrl(), "__token__", token, form).status()).isEqualTo(200);
        assertThat(pypi.fileBytes(filename)).isEqualTo(content);
        assertThat(pypi.violations()).hasSize(2).anySatisfy(v -> assertThat(v).contains(
            "'summary' declares charset ISO-8859-1")).anySatisfy(v -> assertThat(v).contains("not valid UTF-8"));
        assertThat(pypi.uploads().get(0).field("summary")).isEqualTo("Caf\ufffd client");
    }

    @Test
    void streamsA64MiBUploadToDisk(@TempDir Path dir) throws Exception {
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        Path big = dir.resolve("big.whl");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 64; i++) {
                random.nextBytes(chunk);
                sha.update(chunk);
                out.write(chunk);
            }
        }
        String sha256 = HexFormat.of().formatHex(sha.digest());
        String filename = TinyWheel.filename(NAME, "9.0.0");
        Reply reply = http.upload(pypi.repositoryUrl(), token, PyPIHttp.twineFields(NAME, "9.0.0", filename, sha256),
            filename, big);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(pypi.files()).containsEntry(filename, sha256);
        assertThat(Files.size(pypi.filePath(filename))).isEqualTo(64L * 1024 * 1024);
        assertThat(pypi.uploads().get(0).size()).isEqualTo(64L * 1024 * 1024);
        assertThat(pypi.requests().get(0).bodyBytes()).isGreaterThan(64L * 1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pipDownloadsAnUploadedWheelFromTheSimpleIndex(boolean privateIndex, @TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        assumeTrue(Processes.run(Duration.ofSeconds(60), python.toString(), "-m", "pip", "--version").ok(),
            "no pip for /usr/bin/python3");
        pypi = privateIndex ? FakePyPI.startPrivateIndex() : FakePyPI.start();
        String token = pypi.newApiToken();
        pypi.addFile(TinyWheel.filename(NAME, "0.9.0"), TinyWheel.build(NAME, "0.9.0", null));
        byte[] wheel = TinyWheel.build(NAME, "1.2.3", ">=3.8");
        assertThat(upload(token, "1.2.3", wheel).status()).isEqualTo(200);

        Map<String, String> env = new java.util.LinkedHashMap<>(Processes.pipEnv());
        env.put("PIP_NO_INDEX", null);
        env.put("no_proxy", "127.0.0.1,localhost");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        Path out = Files.createDirectories(dir.resolve("out"));
        Processes.Result pip = Processes.run(List.of(python.toString(), "-m", "pip", "download", "--no-deps",
            "--isolated", "--no-cache-dir", "--disable-pip-version-check", "--index-url", pypi.simpleUrl(), "-d",
            out.toString(), "SochDB_Client==1.2.3"), env, dir, Duration.ofMinutes(3));
        assertThat(pip.ok()).as(pip.describe()).isTrue();
        Path got = out.resolve(TinyWheel.filename(NAME, "1.2.3"));
        try (InputStream in = Files.newInputStream(got)) {
            assertThat(in.readAllBytes()).isEqualTo(wheel);
        }
        assertThat(pypi.requests()).anySatisfy(r -> assertThat(r.path()).isEqualTo("/simple/" + NAME + "/"));
        if (!privateIndex) {
            assertThat(pypi.requests()).filteredOn(r -> r.path().equals("/simple/" + NAME + "/"))
                .allSatisfy(r -> assertThat(r.header("Accept")).contains(V1_JSON));
        }
        assertThat(pypi.violations()).isEmpty();
    }

    /** The reference client, where the machine has it: what twine sends must pass, and its repeat too. */
    @Test
    void twineUploadsToTheFake(@TempDir Path dir) throws Exception {
        Path twine = Path.of("/usr/bin/twine");
        assumeTrue(Files.isExecutable(twine), "no /usr/bin/twine");
        pypi = FakePyPI.start();
        String token = pypi.newApiToken();
        Path wheel = Files.write(dir.resolve(TinyWheel.filename(NAME, "3.0.0")),
            TinyWheel.build(NAME, "3.0.0", ">=3.9"));
        Map<String, String> env = new java.util.LinkedHashMap<>();
        System.getenv().keySet().stream().filter(n -> n.startsWith("TWINE_") || n.startsWith("PYTHON"))
            .forEach(n -> env.put(n, null));
        env.put("HOME", dir.toString());
        env.put("TWINE_USERNAME", "__token__");
        env.put("TWINE_PASSWORD", token);
        env.put("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring");
        env.put("no_proxy", "127.0.0.1,localhost");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        List<String> command = List.of(twine.toString(), "upload", "--non-interactive", "--disable-progress-bar",
            "--repository-url", pypi.repositoryUrl(), wheel.toString());
        for (int attempt = 0; attempt < 2; attempt++) {
            Processes.Result result = Processes.run(command, env, dir, Duration.ofMinutes(2));
            assertThat(result.ok()).as(result.describe()).isTrue();
        }
        assertThat(pypi.uploads()).hasSize(2).allSatisfy(u -> {
            assertThat(u.status()).isEqualTo(200);
            assertThat(u.field("md5_digest")).isEqualTo(u.md5());
            assertThat(u.field("blake2_256_digest")).isEqualTo(u.blake2b256());
            assertThat(u.field("requires_python")).isEqualTo(">=3.9");
        });
        assertThat(pypi.files()).containsOnlyKeys(wheel.getFileName().toString());

        Path other = Files.write(Files.createDirectories(dir.resolve("other")).resolve(wheel.getFileName()),
            TinyWheel.build(NAME, "3.0.0", ">=3.10"));
        Processes.Result clash = Processes.run(List.of(twine.toString(), "upload", "--non-interactive",
            "--disable-progress-bar", "--repository-url", pypi.repositoryUrl(), other.toString()), env, dir,
            Duration.ofMinutes(2));
        assertThat(clash.ok()).isFalse();
        assertThat(clash.stdout() + clash.stderr()).as(clash.describe()).contains("400");
        assertThat(pypi.violations()).isEmpty();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
