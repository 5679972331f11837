package io.sochdb.release.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.sochdb.release.run.Artifact;

class InstallSettingsTest {

    @Test
    void modesAndPythonListsParseAndBadValuesNameTheirSetting() {
        assertThat(InstallSettings.Mode.parse("")).isEqualTo(InstallSettings.Mode.AUTO);
        assertThat(InstallSettings.Mode.parse(" Required ")).isEqualTo(InstallSettings.Mode.REQUIRED);
        assertThat(InstallSettings.Mode.parse("off")).isEqualTo(InstallSettings.Mode.OFF);
        assertThatThrownBy(() -> InstallSettings.Mode.parse("sometimes")).hasMessageContaining("VERIFY_INSTALL");
        assertThat(InstallSettings.pythonList("3.9, 3.10,3.13")).containsExactly("3.9", "3.10", "3.13");
        assertThatThrownBy(() -> InstallSettings.pythonList("3.9,py3")).hasMessageContaining("VERIFY_INSTALL_PYTHONS");
        assertThatThrownBy(() -> InstallSettings.pythonList(" , ")).hasMessageContaining("empty");
        assertThat(InstallSettings.simpleIndexOf("https://pypi.org/")).isEqualTo("https://pypi.org/simple/");
        assertThat(InstallSettings.simpleIndexOf("http://127.0.0.1:1")).isEqualTo("http://127.0.0.1:1/simple/");
    }

    @Test
    void aWheelNameYieldsEveryTagItClaims() {
        assertThat(target("sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl").fileTags())
            .containsExactly("py3-none-manylinux_2_17_x86_64");
        assertThat(target("sochdb_client-0.3.2-1-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").fileTags())
            .containsExactly("py2-none-manylinux_2_17_x86_64", "py2-none-manylinux2014_x86_64",
                "py3-none-manylinux_2_17_x86_64", "py3-none-manylinux2014_x86_64");
    }

    private static Target target(String name) {
        return new Target("x86_64-unknown-linux-gnu", "manylinux_2_17_x86_64", java.util.List.of(),
            new Artifact(name, "wheel", "x86_64-unknown-linux-gnu", 1, "0".repeat(64), Path.of(name)));
    }
}
