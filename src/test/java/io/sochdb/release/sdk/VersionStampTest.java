package io.sochdb.release.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionStampTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            __version__ = "0.0.1"            | __version__ = "0.3.2"
            __version__ = '0.0.1'            | __version__ = '0.3.2'
            __version__="0.0.1"              | __version__="0.3.2"
            __version__: str = "0.0.1"       | __version__: str = "0.3.2"
            __version__ = ""                 | __version__ = "0.3.2"
            """)
    void pythonKeepsTheQuotingAndSpacing(String line, String expected) {
        assertThat(VersionStamp.python("import os\n" + line + "\nx = 1\n", "0.3.2"))
                .isEqualTo("import os\n" + expected + "\nx = 1\n");
    }

    @Test
    void pythonReplacesOnlyTheFirstAssignment() {
        String source = "__version__ = \"0.0.1\"\n__version__ = __version__ + \"+local\"\n__version__ = \"9\"\n";
        assertThat(VersionStamp.python(source, "0.3.2"))
                .isEqualTo("__version__ = \"0.3.2\"\n__version__ = __version__ + \"+local\"\n__version__ = \"9\"\n");
    }

    @Test
    void pythonWithoutAVersionIsUntouched() {
        String source = "\"\"\"No version here.\"\"\"\nVERSION = \"1.0\"\nmy__version__ = \"1.0\"\n";
        assertThat(VersionStamp.python(source, "0.3.2")).isSameAs(source);
    }

    // An indented or commented assignment is not the module's version.
    @Test
    void pythonIgnoresIndentedAndCommentedAssignments() {
        String source = "def f():\n    __version__ = \"x\"\n# __version__ = \"y\"\n";
        assertThat(VersionStamp.python(source, "0.3.2")).isEqualTo(source);
    }

    @Test
    void pyprojectReplacesTheVersionInsideProjectOnly() {
        String toml = """
                [tool.foo]
                version = "7.7.7"

                [project]
                name = "sochdb-client"
                version = "0.0.1"
                description = "x"

                [tool.bar]
                version = "8.8.8"
                """;
        assertThat(VersionStamp.pyproject(toml, "0.3.2")).isEqualTo(toml.replace("\"0.0.1\"", "\"0.3.2\""));
    }

    // Without a version key in [project], a version in the next table must not be taken for it.
    @Test
    void pyprojectDoesNotReachIntoTheFollowingTable() {
        String toml = """
                [project]
                name = "sochdb-client"
                dynamic = ["version"]

                [tool.setuptools_scm]
                version = "0.0.0"
                """;
        assertThat(VersionStamp.pyproject(toml, "0.3.2")).isEqualTo(toml);
    }

    @Test
    void pyprojectKeepsSingleQuotesAndComments() {
        String toml = "[project]  # the package\nname = 'x'\nversion = '0.0.1'  # bumped by CI\n";
        assertThat(VersionStamp.pyproject(toml, "1.0.0rc1"))
                .isEqualTo("[project]  # the package\nname = 'x'\nversion = '1.0.0rc1'  # bumped by CI\n");
    }

    @Test
    void pyprojectWithoutProjectTableIsUnchanged() {
        String toml = "[tool.poetry]\nname = \"x\"\nversion = \"0.0.1\"\n";
        assertThat(VersionStamp.pyproject(toml, "0.3.2")).isEqualTo(toml);
    }

    // [project.urls] starts with "[project" too; it must not be mistaken for the [project] table.
    @Test
    void pyprojectIgnoresProjectSubtables() {
        String toml = "[project.optional-dependencies]\nversion = [\"a\"]\n[project.urls]\nversion = \"https://x\"\n";
        assertThat(VersionStamp.pyproject(toml, "0.3.2")).isEqualTo(toml);
    }

    @Test
    void coreVersionIsStampedWithTheUpstreamVersionWhenDeclared() {
        String source = "__version__ = \"0.0.1\"\n__core_version__: str = '0.0.0'  # engine\n";
        assertThat(VersionStamp.python(source, "0.3.3", "1.0.0-rc1"))
                .isEqualTo("__version__ = \"0.3.3\"\n__core_version__: str = '1.0.0-rc1'  # engine\n");
        assertThat(VersionStamp.declares(source, VersionStamp.CORE_VERSION)).isTrue();
        assertThat(VersionStamp.declares(source, VersionStamp.VERSION)).isTrue();
    }

    @Test
    void anAbsentCoreVersionIsLeftAlone() {
        String source = "__version__ = \"0.0.1\"\nCORE = \"x\"\n    __core_version__ = \"y\"\n";
        assertThat(VersionStamp.python(source, "0.3.2", "0.3.2"))
                .isEqualTo("__version__ = \"0.3.2\"\nCORE = \"x\"\n    __core_version__ = \"y\"\n");
        assertThat(VersionStamp.declares(source, VersionStamp.CORE_VERSION)).isFalse();
    }

    // __version__ must not be matched by the longer name, nor the other way round.
    @Test
    void theTwoNamesNeverStampEachOther() {
        String source = "__core_version__ = \"0.0.0\"\n";
        assertThat(VersionStamp.python(source, "0.3.2", null)).isEqualTo(source);
        assertThat(VersionStamp.declares(source, VersionStamp.VERSION)).isFalse();
        assertThat(VersionStamp.python("__version__ = \"1\"\n", "0.3.2", "9.9.9")).isEqualTo("__version__ = \"0.3.2\"\n");
    }
}
