package io.sochdb.release.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.sochdb.release.http.ExtraCertificates;

/**
 * The CA bundle pip gets when {@code SSL_CERT_FILE} is set: pip's {@code REQUESTS_CA_BUNDLE} replaces its CAs
 * instead of adding to them, so it is given the union of the JVM's CAs and the extra ones, written once per process.
 */
final class SubprocessCertificates {

    private static Optional<Path> bundle;

    private SubprocessCertificates() {
    }

    static synchronized Optional<Path> bundle() {
        if (bundle == null) {
            String file = System.getenv("SSL_CERT_FILE");
            if (file == null || file.isBlank()) {
                bundle = Optional.empty();
            } else {
                try {
                    Path folder = Files.createTempDirectory("sochdb-release-ca-");
                    Path written = ExtraCertificates.load(Path.of(file.strip())).writeBundle(folder.resolve("ca-bundle.pem"));
                    // Deleted in the reverse order of these calls: the file, then its folder.
                    folder.toFile().deleteOnExit();
                    written.toFile().deleteOnExit();
                    bundle = Optional.of(written);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the CA bundle for pip from SSL_CERT_FILE " + file, e);
                }
            }
        }
        return bundle;
    }
}
