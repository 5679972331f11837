package io.sochdb.release.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sochdb.release.failure.InvalidInputException;

class ProjectNameTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1} / {2}")
    @CsvSource(delimiter = '|', textBlock = """
            sochdb-client     | sochdb-client     | sochdb_client
            Sochdb_Client.x   | sochdb-client-x   | sochdb_client_x
            SOCHDB--_.client  | sochdb-client     | sochdb_client
            sochdb            | sochdb            | sochdb
            a                 | a                 | a
            Zope.Interface2   | zope-interface2   | zope_interface2
            """)
    void derivesNormalAndFilenameForms(String raw, String normalized, String filename) {
        ProjectName name = new ProjectName(raw);
        assertThat(name.value()).isEqualTo(raw);
        assertThat(name.toString()).isEqualTo(raw);
        assertThat(name.normalized()).isEqualTo(normalized);
        assertThat(name.filenameForm()).isEqualTo(filename);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"-sochdb", "sochdb-", "sochdb.", "_sochdb", "soch db", "sochdb/client", "söchdb", " sochdb"})
    void refusesNamesOutsideTheSpecification(String raw) {
        assertThatThrownBy(() -> new ProjectName(raw))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid project name");
    }

    // Names that differ only in case and separators are one project on PyPI.
    @Test
    void equivalentSpellingsShareTheirNormalForm() {
        assertThat(new ProjectName("SochDB.Client").normalized()).isEqualTo(new ProjectName("sochdb_client").normalized());
    }
}
