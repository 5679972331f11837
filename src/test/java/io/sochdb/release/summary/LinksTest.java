package io.sochdb.release.summary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinksTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://api.github.com            | https://github.com
            https://api.github.com/           | https://github.com
            https://API.GitHub.com            | https://github.com
            https://ghe.example.com/api/v3    | https://ghe.example.com
            https://ghe.example.com/api/v3/   | https://ghe.example.com
            http://127.0.0.1:1234             | http://127.0.0.1:1234
            http://127.0.0.1:1234/            | http://127.0.0.1:1234
            """)
    void webUrlOfTheApiBase(String api, String web) {
        assertThat(Links.webUrlOf(api)).isEqualTo(web);
    }

    @Test
    void githubAndPypiLinks() {
        Links links = new Links("https://github.com", "sochdb/sochdb", "sochdb/sochdb-python-sdk", "https://pypi.org");
        assertThat(links.upstreamRelease("0.3.1")).isEqualTo("https://github.com/sochdb/sochdb/releases/tag/v0.3.1");
        assertThat(links.sdkRelease("0.3.2")).isEqualTo("https://github.com/sochdb/sochdb-python-sdk/releases/tag/v0.3.2");
        assertThat(links.pypiProject("sochdb-client", "0.3.2")).isEqualTo("https://pypi.org/project/sochdb-client/0.3.2/");
    }

    // A test fake or TestPyPI configured with a trailing slash must not produce "//project".
    @Test
    void fakeHostsAndTrailingSlashes() {
        Links links = new Links(Links.webUrlOf("http://127.0.0.1:1234"), "o/sochdb", "o/sdk", "https://test.pypi.org/");
        assertThat(links.sdkRelease("1.0.0rc1")).isEqualTo("http://127.0.0.1:1234/o/sdk/releases/tag/v1.0.0rc1");
        assertThat(links.pypiProject("sochdb-client", "1.0.0rc1"))
                .isEqualTo("https://test.pypi.org/project/sochdb-client/1.0.0rc1/");
    }
}
