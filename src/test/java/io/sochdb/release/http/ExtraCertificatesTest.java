package io.sochdb.release.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.fixtures.PrivateCa;

/** SSL_CERT_FILE adds CAs to the JVM's, for the service and (as one bundle) for pip. */
class ExtraCertificatesTest {

    @TempDir
    Path tmp;

    @Test
    void theExtraCaIsTrustedBesideEveryDefaultOne() throws Exception {
        PrivateCa ca = PrivateCa.create(tmp.resolve("ca"), "dns:index.test");
        ExtraCertificates extra = ExtraCertificates.load(ca.caPem());
        assertThat(extra.certificates()).hasSize(1);

        X509TrustManager merged = extra.trustManager();
        List<X509Certificate> defaults = List.of(defaults().getAcceptedIssuers());
        assertThat(defaults).isNotEmpty();
        assertThat(List.of(merged.getAcceptedIssuers())).containsAll(defaults).contains(extra.certificates().get(0))
                .hasSize(defaults.size() + 1);

        Path bundle = extra.writeBundle(tmp.resolve("bundle.pem"));
        try (InputStream in = Files.newInputStream(bundle)) {
            List<java.security.cert.Certificate> written = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(in));
            assertThat(written).hasSize(defaults.size() + 1).contains(extra.certificates().get(0));
        }
    }

    @Test
    void aMissingOrBadFileIsNamed() throws Exception {
        Path missing = tmp.resolve("nope.pem");
        assertThatThrownBy(() -> ExtraCertificates.load(missing)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSL_CERT_FILE " + missing).hasMessageContaining("not a readable file");
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "no certificates here\n");
        assertThatThrownBy(() -> ExtraCertificates.load(empty)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSL_CERT_FILE " + empty);
        Path garbled = Files.writeString(tmp.resolve("garbled.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ExtraCertificates.load(garbled)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SSL_CERT_FILE " + garbled).hasMessageContaining("not a PEM bundle");
    }

    private static X509TrustManager defaults() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((java.security.KeyStore) null);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }
}
