package io.sochdb.release.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.sochdb.release.failure.InvalidInputException;

/**
 * The CAs of {@code SSL_CERT_FILE} (a PEM bundle, as OpenSSL, curl and pip read it), trusted on top of the JVM's
 * own: a TLS-inspecting egress proxy or a private index signs with a CA the JVM does not know, while GitHub and
 * PyPI must stay trusted as before.
 */
public final class ExtraCertificates {

    private static final java.util.regex.Pattern BLOCK = java.util.regex.Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*)-----END CERTIFICATE-----");

    private final Path file;
    private volatile List<X509Certificate> certificates;

    private ExtraCertificates(Path file, List<X509Certificate> certificates) {
        this.file = file;
        this.certificates = certificates;
    }

    /**
     * Checks the bundle's form now (readable, PEM blocks holding DER), so that a wrong path or a wrong file stops
     * the start with its name; the certificates themselves are parsed at the first TLS connection, which an
     * offline dry run never makes (parsing a system bundle of 140 CAs costs start-up time).
     */
    public static ExtraCertificates check(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidInputException("SSL_CERT_FILE " + file + " is not a readable file; it must name a PEM "
                    + "bundle of CA certificates (-----BEGIN CERTIFICATE-----)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidInputException("SSL_CERT_FILE " + file + " cannot be read: " + e.getMessage(), e);
        }
        java.util.regex.Matcher block = BLOCK.matcher(text);
        int blocks = 0;
        while (block.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(1));
            } catch (IllegalArgumentException e) {
                der = new byte[0];
            }
            // A DER certificate is a SEQUENCE (0x30) with a long-form length.
            if (der.length < 4 || der[0] != 0x30 || (der[1] & 0x80) == 0) {
                throw new InvalidInputException("SSL_CERT_FILE " + file + " is not a PEM bundle of CA certificates: "
                        + "certificate " + (blocks + 1) + " is not DER-encoded X.509");
            }
            blocks++;
        }
        if (blocks == 0) {
            throw new InvalidInputException("SSL_CERT_FILE " + file + " holds no certificate; expected PEM blocks "
                    + "(-----BEGIN CERTIFICATE-----)");
        }
        return new ExtraCertificates(file, null);
    }

    /** Reads and parses the bundle now. */
    public static ExtraCertificates load(Path file) {
        ExtraCertificates checked = check(file);
        checked.certificates();
        return checked;
    }

    private static List<X509Certificate> parse(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidInputException("SSL_CERT_FILE " + file + " is not a readable file; it must name a PEM "
                    + "bundle of CA certificates (-----BEGIN CERTIFICATE-----)");
        }
        List<X509Certificate> found = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            for (Certificate each : read) {
                found.add((X509Certificate) each);
            }
        } catch (IOException | CertificateException e) {
            throw new InvalidInputException("SSL_CERT_FILE " + file + " is not a PEM bundle of CA certificates: "
                    + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new InvalidInputException("SSL_CERT_FILE " + file + " holds no certificate; expected PEM blocks "
                    + "(-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(found);
    }

    public Path file() {
        return file;
    }

    public List<X509Certificate> certificates() {
        List<X509Certificate> parsed = certificates;
        if (parsed == null) {
            synchronized (this) {
                parsed = certificates;
                if (parsed == null) {
                    parsed = parse(file);
                    certificates = parsed;
                }
            }
        }
        return parsed;
    }

    /** The JVM's default trust anchors and ours, in one trust manager. */
    public X509TrustManager trustManager() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate anchor : defaultTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + n++, anchor);
            }
            for (X509Certificate extra : certificates()) {
                store.setCertificateEntry("ssl-cert-file-" + n++, extra);
            }
            return firstX509(trustManagers(store));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store from the JVM's CAs and SSL_CERT_FILE " + file, e);
        }
    }

    /**
     * One PEM file with the JVM's CAs and ours, for pip: {@code --cert} replaces pip's CAs rather than adding to
     * them, so it is handed the union, and pip then trusts exactly what the service trusts.
     */
    public Path writeBundle(Path target) throws IOException {
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
            for (X509Certificate anchor : defaultTrustManager().getAcceptedIssuers()) {
                pem(out, anchor);
            }
            for (X509Certificate extra : certificates()) {
                pem(out, extra);
            }
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot read the JVM's CAs", e);
        }
        return Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void pem(Writer out, X509Certificate certificate) throws IOException, GeneralSecurityException {
        out.write("-----BEGIN CERTIFICATE-----\n");
        out.write(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()));
        out.write("\n-----END CERTIFICATE-----\n");
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        return firstX509(trustManagers(null));
    }

    private static TrustManager[] trustManagers(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static X509TrustManager firstX509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JVM offers no X.509 trust manager");
    }
}
