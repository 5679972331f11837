package io.sochdb.release.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A trust manager built at the first TLS handshake: merging the JVM's 140-odd CAs with SSL_CERT_FILE's costs
 * start-up time that an offline dry run, which makes no connection, should not pay.
 */
final class LazyTrustManager extends X509ExtendedTrustManager {

    private final Supplier<X509TrustManager> factory;
    private volatile X509ExtendedTrustManager built;

    LazyTrustManager(Supplier<X509TrustManager> factory) {
        this.factory = factory;
    }

    private X509ExtendedTrustManager delegate() {
        X509ExtendedTrustManager manager = built;
        if (manager == null) {
            synchronized (this) {
                manager = built;
                if (manager == null) {
                    // The JDK's PKIX trust manager is an extended one, which also checks host names.
                    manager = (X509ExtendedTrustManager) factory.get();
                    built = manager;
                }
            }
        }
        return manager;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate().getAcceptedIssuers();
    }
}
