package io.sochdb.release.install;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** pip ignores a plain-http index on another machine unless it is named with --trusted-host. */
class PipSourceTest {

    @Test
    void aPlainHttpIndexElsewhereIsTrustedByHostAndPort() {
        assertThat(PipResolver.Source.index("http://pypi.ns.svc:8080/simple/").pipArguments())
                .containsExactly("--index-url", "http://pypi.ns.svc:8080/simple/", "--trusted-host", "pypi.ns.svc:8080");
        assertThat(PipResolver.Source.index("http://mirror.corp/simple/").pipArguments())
                .containsExactly("--index-url", "http://mirror.corp/simple/", "--trusted-host", "mirror.corp");
    }

    @Test
    void httpsAndLoopbackIndexesNeedNoTrust() {
        assertThat(PipResolver.Source.index("https://pypi.org/simple/").pipArguments())
                .containsExactly("--index-url", "https://pypi.org/simple/");
        assertThat(PipResolver.Source.index("http://127.0.0.1:8080/simple/").pipArguments())
                .containsExactly("--index-url", "http://127.0.0.1:8080/simple/");
        assertThat(PipResolver.Source.index("http://localhost:8080/simple/").pipArguments())
                .containsExactly("--index-url", "http://localhost:8080/simple/");
    }
}
