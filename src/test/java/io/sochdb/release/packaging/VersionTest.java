package io.sochdb.release.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sochdb.release.failure.InvalidInputException;

class VersionTest {

    // Expected values cross-checked against Python packaging 26.2 (str(packaging.version.Version(raw))).
    // Trailing separators after a label are legal PEP 440 (1.0-alpha- -> 1.0a0), unlike a bare trailing one (1.0-).
    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.3.2               | 0.3.2
            1.0.0               | 1.0.0
            1.0                 | 1.0
            1                   | 1
            01.2                | 1.2
            00                  | 0
            09000               | 9000
            1.002.0003          | 1.2.3
            0!1.0               | 1.0
            000!1.0             | 1.0
            1!1.0               | 1!1.0
            01!2.0              | 1!2.0
            1.1RC1              | 1.1rc1
            1.0-RC1             | 1.0rc1
            1.0.0-rc1           | 1.0.0rc1
            1.0.0rc1            | 1.0.0rc1
            1.1.a1              | 1.1a1
            1.1-a1              | 1.1a1
            1.1_a1              | 1.1a1
            1.0a.1              | 1.0a1
            1.0a_1              | 1.0a1
            1.0a-01             | 1.0a1
            1.1alpha1           | 1.1a1
            1.1ALPHA1           | 1.1a1
            1.1beta2            | 1.1b2
            1.1c3               | 1.1rc3
            1.1pre4             | 1.1rc4
            1.1preview5         | 1.1rc5
            1.1-preview.5       | 1.1rc5
            1.0a                | 1.0a0
            1.0-beta            | 1.0b0
            1.0c                | 1.0rc0
            1.0-alpha-          | 1.0a0
            1.0-1               | 1.0.post1
            1.0-01              | 1.0.post1
            1.2-post2           | 1.2.post2
            1.2post2            | 1.2.post2
            1.2.post.2          | 1.2.post2
            1.2_post_2          | 1.2.post2
            1.0-post2           | 1.0.post2
            1.0.rev2            | 1.0.post2
            1.0r2               | 1.0.post2
            1.0-r4              | 1.0.post4
            1.0-rev4            | 1.0.post4
            1.0.post            | 1.0.post0
            1.0.post-           | 1.0.post0
            1.0.0.post1         | 1.0.0.post1
            1.2-dev2            | 1.2.dev2
            1.2dev2             | 1.2.dev2
            1.2.dev             | 1.2.dev0
            1.0-dev             | 1.0.dev0
            1.0_DEV_03          | 1.0.dev3
            1.0rc1-1            | 1.0rc1.post1
            1.0b2-post3-dev4    | 1.0b2.post3.dev4
            1!2.0a1.post2.dev3+Local.7 | 1!2.0a1.post2.dev3+local.7
            1.0+ubuntu-1        | 1.0+ubuntu.1
            1.0+Ubuntu-1        | 1.0+ubuntu.1
            1.0+ubuntu_1.2      | 1.0+ubuntu.1.2
            1.0+foo0100         | 1.0+foo0100
            1.0+007.abc         | 1.0+7.abc
            1.0+0               | 1.0+0
            v1.0                | 1.0
            V1.0.0-RC1          | 1.0.0rc1
            ' 1.0 '             | 1.0
            '  v2.1.post1  '    | 2.1.post1
            1.0.0000000000000000000000000000000099 | 1.0.99
            99999999999999999999999999 | 99999999999999999999999999
            """)
    void normalisesValidVersions(String raw, String expected) {
        Version version = Version.parse(raw);

        assertThat(version.canonical()).isEqualTo(expected);
        assertThat(version).hasToString(expected);
        assertThat(Version.parse(expected)).isEqualTo(version);
    }

    @Test
    void stripsSurroundingControlWhitespace() {
        assertThat(Version.parse("\t1.0\n").canonical()).isEqualTo("1.0");
        assertThat(Version.parse("\r\n v1.0a1 \n").canonical()).isEqualTo("1.0a1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1.0.0-foo", "latest", "1..2", "1.0+", "1.0 0", "1 .0", "v 1.0", "1.0-", "1.0.", ".1", "a1.0",
            "vv1.0", "1!", "!1.0", "1!!1.0", "1.0+ubuntu_", "1.0+foo..bar", "1.0++1", "1.0+-1", "1.0a1a2",
            "1.0-1-1", "1.0.post1.post2", "1.0dev1dev2", "1.0-gamma1", "1.0rc1-", "1.0~rc1",
            "1.0.x", "*", "1.*", ">=1.0", "1.0\n2.0", "\u0661.0", "\uff11.0", "1.0+\u00fc", "1.0+loca\u0130",
            "1.0+\u212a", "-1.0", "1.0_", "1,0", "1.0-1.0"
    })
    void rejectsInvalidVersions(String raw) {
        assertThatThrownBy(() -> Version.parse(raw))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a PEP 440 version")
                .hasMessageNotContaining("\n")
                .satisfies(e -> {
                    if (!raw.contains("\n")) {
                        assertThat(e.getMessage()).contains("\"" + raw + "\"");
                    }
                });
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t\n"})
    void rejectsMissingVersions(String raw) {
        assertThatThrownBy(() -> Version.parse(raw))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid version ")
                .hasMessageContaining("not a PEP 440 version");
    }

    @Test
    void exampleMessageIsOneReadableLine() {
        assertThatThrownBy(() -> Version.parse("1.0.0-foo"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid version \"1.0.0-foo\": not a PEP 440 version"
                        + " (examples: 0.3.2, 1.0.0rc1, 1.0.0.post1)");
        assertThatThrownBy(() -> Version.parse("1.0\n2.0"))
                .hasMessageStartingWith("invalid version \"1.0\\u000a2.0\":");
    }

    @Test
    void rejectsInputLongerThan128CharactersBeforeParsing() {
        String atLimit = "10" + ".0".repeat(63);
        String overLimit = "100" + ".0".repeat(63);
        assertThat(atLimit).hasSize(128);
        assertThat(overLimit).hasSize(129);

        assertThat(Version.parse(atLimit).canonical()).isEqualTo(atLimit);
        assertThatThrownBy(() -> Version.parse(overLimit))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("longer than 128 characters")
                .hasMessageContaining("\"" + overLimit.substring(0, 40))
                .hasMessageNotContaining(overLimit);
        // The limit applies to the raw string, padding included.
        assertThatThrownBy(() -> Version.parse(" ".repeat(127) + "1.0"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("longer than 128 characters");
    }

    @ParameterizedTest(name = "[{index}] {0} prerelease={1}")
    @CsvSource({
            "1.0a1, true", "1.0b2, true", "1.0rc1, true", "1.0.0-RC1, true", "1.0c1, true", "1.0.dev0, true",
            "1.0-dev, true", "1.0.post1.dev0, true", "1.0a1.post1, true", "1!2.0b1+local, true",
            "1.0, false", "0.3.2, false", "1.0.post1, false", "1.0-1, false", "1.0+dev, false",
            "1!1.0, false", "1.0+local.1, false"
    })
    void detectsPrereleases(String raw, boolean expected) {
        assertThat(Version.parse(raw).isPrerelease()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "1.0.0-rc1, 1.0.0rc1",
            "1.0+ubuntu-1, 1.0+ubuntu.1",
            "1!2.0.post1.dev2, 1!2.0.post1.dev2"
    })
    void wheelFilenameFormHasNoDashes(String raw, String expected) {
        assertThat(Version.parse(raw).wheelFilenameForm()).isEqualTo(expected).doesNotContain("-");
    }

    @Test
    void constructorAcceptsOnlyCanonicalForms() {
        assertThat(new Version("1.0.0rc1")).isEqualTo(Version.parse("1.0.0-RC1"));
        for (String notCanonical : new String[] {"1.0-rc1", "v1.0", " 1.0", "01.0", "0!1.0", "1.0+Ubuntu", "x"}) {
            assertThatThrownBy(() -> new Version(notCanonical))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("\"" + notCanonical + "\"");
        }
        assertThatThrownBy(() -> new Version(null)).isInstanceOf(InvalidInputException.class);
    }
}
