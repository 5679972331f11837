package io.sochdb.release.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sochdb.release.fixtures.Fixtures;

/**
 * The fixture SDK made to need two stub distributions at import time, as the real SDK needs numpy and grpcio, plus
 * one that only Windows needs (a marker this host must not count as missing).
 */
final class DependentSdk {

    static final List<String> DEPENDENCIES = List.of("stub-numpy", "stub-grpc");

    private DependentSdk() {
    }

    static Path write(Path dir) throws IOException {
        Path sdk = Fixtures.sdkSource(dir);
        Path pyproject = sdk.resolve("pyproject.toml");
        Files.writeString(pyproject, Files.readString(pyproject).replace("dependencies = []",
            "dependencies = [\"stub-numpy>=1.0\", \"stub-grpc\", \"stub-windows; sys_platform == 'win32'\"]"));
        Path init = sdk.resolve("src/sochdb/__init__.py");
        Files.writeString(init, Files.readString(init).replace("import sys\n", "import sys\n\nimport stub_grpc\nimport stub_numpy\n"));
        return sdk;
    }
}
