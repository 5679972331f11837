package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.Seeds;
import io.sochdb.release.fixtures.ForwardProxy;
import io.sochdb.release.fixtures.PrivateCa;
import io.sochdb.release.fixtures.Processes;
import io.sochdb.release.fixtures.ReleaseEnvironment;

/**
 * The packaged jar in a cluster's network: GitHub and PyPI reachable only through a forward proxy (squid) that
 * alone resolves their names, GitHub's TLS signed by a private CA that only SSL_CERT_FILE names.
 */
class EgressIT {

    private static final String VERSION = "0.3.2";
    private static final String TAG = "v" + VERSION;
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String GITHUB_HOST = "github.sochdb-release.test";
    private static final String PYPI_HOST = "pypi.sochdb-release.test";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path tmp;
    private FakeGitHub github;
    private FakePyPI pypi;
    private ForwardProxy proxy;
    private final String githubToken = "ghp_egress_it_" + UUID.randomUUID().toString().replace("-", "");

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (github != null) {
            github.close();
        }
        if (pypi != null) {
            pypi.close();
        }
    }

    @Test
    void aFullReleaseReachesGitHubAndPyPIOnlyThroughTheProxy() throws Exception {
        PrivateCa ca = PrivateCa.create(tmp.resolve("ca"), "dns:" + GITHUB_HOST);
        github = FakeGitHub.startTls(ca.serverContext(), GITHUB_HOST);
        pypi = FakePyPI.startAs(PYPI_HOST);
        proxy = ForwardProxy.start(List.of(GITHUB_HOST, PYPI_HOST));
        Seeds.sdkTarball(github, tmp, SHA);
        Seeds.upstreamRelease(github, tmp, VERSION);
        github.requireToken(githubToken);
        String pypiToken = pypi.newApiToken();
        Path dist = tmp.resolve("dist");

        Map<String, String> env = new HashMap<>(releaseEnv(pypiToken));
        env.put("SSL_CERT_FILE", ca.caPem().toString());
        env.put("HTTPS_PROXY", proxy.url());
        env.put("HTTP_PROXY", proxy.url());
        Processes.Result result = release(List.of(), env, dist);

        assertThat(result.exitCode()).as(result.describe() + proxy.describe()).isZero();
        FakeRelease published = github.release(Seeds.SDK, TAG);
        assertThat(published.draft()).isFalse();
        // Five platform wheels and the sdist, on both; SHA256SUMS on GitHub only.
        assertThat(published.assets()).hasSize(7);
        assertThat(pypi.files()).hasSize(6);
        JsonNode summary = new ObjectMapper().readTree(dist.resolve("summary.json").toFile());
        assertThat(summary.path("install_proof").path("state").asText()).as(summary.path("install_proof").toString())
                .isEqualTo("passed");

        List<ForwardProxy.Entry> log = proxy.log();
        // GitHub (API, uploads, storage redirects) is https: tunnels, all of them to the name only squid knows.
        List<ForwardProxy.Entry> tunnels = log.stream().filter(e -> e.method().equals("CONNECT")).toList();
        assertThat(tunnels).as(proxy.describe()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.url()).isEqualTo(GITHUB_HOST + ":" + github.port()));
        // PyPI is plain http: every request the index saw came as an absolute URI through squid, pip's included.
        List<ForwardProxy.Entry> toIndex = log.stream().filter(e -> e.url().startsWith(pypi.baseUrl())).toList();
        assertThat(toIndex).as(proxy.describe()).hasSize(pypi.requests().size());
        assertThat(toIndex).anySatisfy(e -> assertThat(e.userAgent()).startsWith("sochdb-release/"))
                .anySatisfy(e -> assertThat(e.userAgent()).startsWith("pip/"));
        assertThat(toIndex).anySatisfy(e -> assertThat(e.method()).isEqualTo("POST"));
        assertThat(log).as("nothing else went out").allSatisfy(e -> assertThat(e.url())
                .satisfiesAnyOf(u -> assertThat(u).startsWith(GITHUB_HOST + ":"), u -> assertThat(u).startsWith(pypi.baseUrl())));
        assertThat(github.violations()).isEmpty();
        assertThat(pypi.violations()).isEmpty();
    }

    @Test
    void aDryRunTrustsAPrivateCaOnlyWhenSslCertFileNamesIt() throws Exception {
        PrivateCa ca = PrivateCa.create(tmp.resolve("ca"), "ip:127.0.0.1", "dns:localhost");
        github = FakeGitHub.startTls(ca.serverContext(), "127.0.0.1");
        pypi = FakePyPI.start();
        Seeds.sdkTarball(github, tmp, SHA);
        Seeds.upstreamRelease(github, tmp, VERSION);

        Map<String, String> trusted = new HashMap<>(releaseEnv(null));
        trusted.put("SSL_CERT_FILE", ca.caPem().toString());
        Processes.Result ok = release(List.of("--dry-run"), trusted, tmp.resolve("dist-trusted"));
        assertThat(ok.exitCode()).as(ok.describe()).isZero();
        assertThat(tmp.resolve("dist-trusted").resolve("sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl")).exists();

        Processes.Result refused = release(List.of("--dry-run"), releaseEnv(null), tmp.resolve("dist-untrusted"));
        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.stdout() + refused.stderr()).as(refused.describe())
                .contains("PKIX path building failed").contains("SSL_CERT_FILE");

        Files.writeString(tmp.resolve("not-a-ca.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
                + "-----END CERTIFICATE-----\n");
        for (Path bad : List.of(tmp.resolve("missing.pem"), tmp.resolve("not-a-ca.pem"))) {
            Map<String, String> env = new HashMap<>(releaseEnv(null));
            env.put("SSL_CERT_FILE", bad.toString());
            Processes.Result wrong = release(List.of("--dry-run"), env, tmp.resolve("dist-bad"));
            assertThat(wrong.exitCode()).as(wrong.describe()).isEqualTo(2);
            assertThat(wrong.stderr()).as(wrong.describe()).contains("SSL_CERT_FILE " + bad);
        }
    }

    private Map<String, String> releaseEnv(String pypiToken) {
        Map<String, String> env = ReleaseEnvironment.against(github, githubToken, pypi, pypiToken, tmp.resolve("cache"));
        env.put("GITHUB_RETRY_MAX_ATTEMPTS", "2");
        env.put("VERIFY_INSTALL_PYTHONS", "3.11");
        return env;
    }

    private Processes.Result release(List<String> options, Map<String, String> env, Path dist) {
        String jar = System.getProperty("release.jar");
        assertThat(jar).as("system property release.jar (set by failsafe)").isNotBlank();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "release", "--version", VERSION, "--dist", dist.toString()));
        command.addAll(options);
        return Processes.run(command, env, tmp, TIMEOUT);
    }

}
