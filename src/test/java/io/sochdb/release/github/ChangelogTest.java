package io.sochdb.release.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class ChangelogTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 4);
    private static final String BODY = "- Wheels: `manylinux_2_17_x86_64`.\n";
    private static final String URL = "https://github.com/sochdb/sochdb-python-sdk/releases/tag/v0.3.2";

    @Test
    void keepAChangelogGetsABracketedDatedSectionBelowUnreleasedAndALinkReference() {
        String before = """
                # Changelog

                All notable changes to this project will be documented in this file.
                The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

                ## [Unreleased]

                - Nothing yet.

                ## [0.3.1] - 2025-12-01

                ### Fixed
                - A bug.

                [unreleased]: https://github.com/sochdb/sochdb-python-sdk/compare/v0.3.1...HEAD
                [0.3.1]: https://github.com/sochdb/sochdb-python-sdk/releases/tag/v0.3.1
                """;

        String after = Changelog.withSection(before, "0.3.2", TODAY, BODY, URL);

        assertThat(after).isEqualTo("""
                # Changelog

                All notable changes to this project will be documented in this file.
                The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

                ## [Unreleased]

                - Nothing yet.

                ## [0.3.2] - 2026-03-04

                - Wheels: `manylinux_2_17_x86_64`.

                ## [0.3.1] - 2025-12-01

                ### Fixed
                - A bug.

                [unreleased]: https://github.com/sochdb/sochdb-python-sdk/compare/v0.3.1...HEAD
                [0.3.2]: https://github.com/sochdb/sochdb-python-sdk/releases/tag/v0.3.2
                [0.3.1]: https://github.com/sochdb/sochdb-python-sdk/releases/tag/v0.3.1
                """);
        assertThat(Changelog.hasSection(after, "0.3.2")).isTrue();
    }

    @Test
    void aPlainChangelogKeepsItsLevelPrefixAndDateFormatAndGetsNoLinkReference() {
        String before = "# sochdb-client changes\n\n### v0.3.1 (2025-12-01)\n\n* Fixed a bug.\n";

        String after = Changelog.withSection(before, "0.3.2", TODAY, BODY, URL);

        assertThat(after).isEqualTo("# sochdb-client changes\n\n### v0.3.2 (2026-03-04)\n\n"
                + "- Wheels: `manylinux_2_17_x86_64`.\n\n### v0.3.1 (2025-12-01)\n\n* Fixed a bug.\n");
    }

    @Test
    void aHeadingWithoutDateGetsNone() {
        String after = Changelog.withSection("## 0.3.1\n\n- x\n", "0.3.2", TODAY, BODY, URL);
        assertThat(after).startsWith("## 0.3.2\n\n- Wheels");
    }

    @Test
    void aChangelogWithoutReleasesYetGetsASectionAfterItsIntroduction() {
        String after = Changelog.withSection("# Changelog\n\nSome words.\n", "0.3.2", TODAY, BODY, URL);
        assertThat(after).isEqualTo("# Changelog\n\nSome words.\n\n## 0.3.2 (2026-03-04)\n\n- Wheels: `manylinux_2_17_x86_64`.\n");

        String keep = Changelog.withSection("# Changelog\n\n## [Unreleased]\n\n- soon\n", "0.3.2", TODAY, BODY, URL);
        assertThat(keep).isEqualTo("# Changelog\n\n## [Unreleased]\n\n- soon\n\n## [0.3.2] - 2026-03-04\n\n"
                + "- Wheels: `manylinux_2_17_x86_64`.\n\n[0.3.2]: " + URL + "\n");
    }

    @Test
    void aNewFileFollowsKeepAChangelog() {
        String fresh = Changelog.fresh("0.3.2", TODAY, BODY, URL);
        assertThat(fresh).startsWith("# Changelog\n").contains("## [0.3.2] - 2026-03-04\n\n- Wheels", "[0.3.2]: " + URL + "\n");
    }

    @Test
    void aSectionIsFoundByItsExactVersionOnly() {
        assertThat(Changelog.hasSection("## [0.3.2] - 2026-01-01\n", "0.3.2")).isTrue();
        assertThat(Changelog.hasSection("### v0.3.2\n", "0.3.2")).isTrue();
        assertThat(Changelog.hasSection("## sochdb-client 0.3.2 (2026-01-01)\n", "0.3.2")).isTrue();
        assertThat(Changelog.hasSection("## [0.3.20] - 2026-01-01\n", "0.3.2")).isFalse();
        assertThat(Changelog.hasSection("## [10.3.2]\n", "0.3.2")).isFalse();
        assertThat(Changelog.hasSection("## [0.3.2rc1]\n## 0.3.2-rc1\n", "0.3.2")).isFalse();
        assertThat(Changelog.hasSection("- upgraded to 0.3.2\n", "0.3.2")).as("not a heading").isFalse();
    }
}
