package io.sochdb.release.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sochdb.release.failure.InvalidInputException;

/** The proxy choice as curl and pip make it from the environment. */
class ProxyRulesTest {

    private static ProxyRules rules(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ProxyRules.fromEnvironment(env);
    }

    private static String via(ProxyRules rules, String url) {
        return rules.proxyFor(URI.create(url)).map(ProxyRules.Proxy::display).orElse("direct");
    }

    @Test
    void httpsAndHttpUrlsEachTakeTheirOwnVariable() {
        ProxyRules rules = rules("HTTPS_PROXY", "http://secure.corp:3128", "HTTP_PROXY", "http://plain.corp:8080");
        assertThat(via(rules, "https://api.github.com/repos")).isEqualTo("http://secure.corp:3128");
        assertThat(via(rules, "http://pypi.internal/simple/")).isEqualTo("http://plain.corp:8080");
        assertThat(via(rules("HTTP_PROXY", "http://plain.corp:8080"), "https://api.github.com/")).isEqualTo("direct");
    }

    @Test
    void lowercaseWinsAndASchemelessProxyIsHttp() {
        ProxyRules rules = rules("https_proxy", "lower.corp:3128", "HTTPS_PROXY", "http://upper.corp:3128");
        assertThat(via(rules, "https://pypi.org/")).isEqualTo("http://lower.corp:3128");
        assertThat(via(rules("HTTPS_PROXY", "http://p.corp"), "https://pypi.org/")).isEqualTo("http://p.corp:80");
    }

    @Test
    void noProxyMatchesDomainsAndTheirSubdomainsButNotLookalikes() {
        ProxyRules rules = rules("HTTPS_PROXY", "http://p:3128", "NO_PROXY", "example.com, .internal,*.svc");
        assertThat(via(rules, "https://example.com/")).isEqualTo("direct");
        assertThat(via(rules, "https://api.example.com/")).isEqualTo("direct");
        assertThat(via(rules, "https://EXAMPLE.COM./")).isEqualTo("direct");
        assertThat(via(rules, "https://notexample.com/")).isEqualTo("http://p:3128");
        assertThat(via(rules, "https://pypi.internal/")).isEqualTo("direct");
        assertThat(via(rules, "https://internal/")).isEqualTo("direct");
        assertThat(via(rules, "https://index.ns.svc/")).isEqualTo("direct");
        assertThat(via(rules, "https://github.com/")).isEqualTo("http://p:3128");
    }

    @Test
    void noProxyTakesPortsIpsAndAStar() {
        ProxyRules rules = rules("HTTPS_PROXY", "http://p:3128", "HTTP_PROXY", "http://p:3128",
                "no_proxy", "10.0.0.7,index.corp:8443,[::1]");
        assertThat(via(rules, "http://10.0.0.7/simple/")).isEqualTo("direct");
        assertThat(via(rules, "http://10.0.0.70/simple/")).isEqualTo("http://p:3128");
        assertThat(via(rules, "https://index.corp:8443/")).isEqualTo("direct");
        assertThat(via(rules, "https://index.corp/")).as("another port").isEqualTo("http://p:3128");
        assertThat(via(rules, "http://[::1]:8080/")).isEqualTo("direct");
        assertThat(via(rules("HTTPS_PROXY", "http://p:3128", "NO_PROXY", "*"), "https://github.com/")).isEqualTo("direct");
    }

    @Test
    void credentialsAreReadButNeverShown() {
        ProxyRules rules = rules("HTTPS_PROXY", "http://svc-release:s%40cret@p.corp:3128");
        ProxyRules.Proxy proxy = rules.proxyFor(URI.create("https://api.github.com/")).orElseThrow();
        assertThat(proxy.user()).isEqualTo("svc-release");
        assertThat(proxy.password()).isEqualTo("s@cret");
        assertThat(proxy.toString()).doesNotContain("s@cret").doesNotContain("s%40cret").doesNotContain("svc-release");
        assertThat(proxy.display()).isEqualTo("http://p.corp:3128");
        assertThat(rules.describe()).doesNotContain("cret");
    }

    @Test
    void aBadProxyUrlIsNamedByItsVariableWithoutItsValue() {
        assertThatThrownBy(() -> rules("HTTPS_PROXY", "socks5://user:hunter2@p:1080"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("HTTPS_PROXY")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> rules("http_proxy", "http://user:hunter2@:3128"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("http_proxy")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void withoutVariablesEverythingIsDirect() {
        assertThat(rules().configured()).isFalse();
        assertThat(via(rules(), "https://pypi.org/")).isEqualTo("direct");
    }
}
