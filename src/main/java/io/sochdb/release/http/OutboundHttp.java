package io.sochdb.release.http;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.CompositeHttpConfigurer;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camel-http component set up for the outside world, the one place that touches HttpClient's builder: the
 * proxy of {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY} (with its credentials, if the URL has any),
 * the extra CAs of {@code SSL_CERT_FILE}, and the protocol rules every client relies on (no redirects followed,
 * no automatic retries, no cookies). Everything else, timeouts and pool sizes included, stays an ordinary
 * {@code camel.component.http.*} option.
 */
public final class OutboundHttp {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundHttp.class);

    private final ProxyRules proxies;
    private final ExtraCertificates certificates;

    public OutboundHttp(ProxyRules proxies, ExtraCertificates certificates) {
        this.proxies = proxies;
        this.certificates = certificates;
    }

    /** Reads and checks the variables now: a bad proxy URL or CA file stops the start, named. */
    public static OutboundHttp fromEnvironment(Map<String, String> env) {
        String caFile = env.get("SSL_CERT_FILE");
        ExtraCertificates extra = caFile == null || caFile.isBlank() ? null : ExtraCertificates.check(Path.of(caFile.strip()));
        return new OutboundHttp(ProxyRules.fromEnvironment(env), extra);
    }

    public ProxyRules proxies() {
        return proxies;
    }

    public Optional<ExtraCertificates> certificates() {
        return Optional.ofNullable(certificates);
    }

    public void applyTo(CamelContext context) {
        HttpComponent http = context.getComponent("http", HttpComponent.class);
        // Clients follow redirects themselves (a storage host must never see the token) and retry by one policy.
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setAutomaticRetriesDisabled(true);
        http.setCookieManagementDisabled(true);
        if (proxies.configured()) {
            HttpClientConfigurer ours = this::configureClient;
            HttpClientConfigurer existing = http.getHttpClientConfigurer();
            http.setHttpClientConfigurer(existing == null ? ours : CompositeHttpConfigurer.combineConfigurers(existing, ours));
            LOG.info("Outbound HTTP: {}", proxies.describe());
        }
        if (certificates != null) {
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setTrustManager(new LazyTrustManager(certificates::trustManager));
            SSLContextParameters tls = new SSLContextParameters();
            tls.setTrustManagers(trust);
            http.setSslContextParameters(tls);
            LOG.info("Outbound HTTP: trusting the JVM's CAs and those of SSL_CERT_FILE {}", certificates.file());
        }
    }

    /** The values application.properties gives camel-main, for a context built without it. */
    static void applyDefaultTimeouts(CamelContext context) {
        HttpComponent http = context.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(30_000);
        http.setSoTimeout(600_000);
        http.setResponseTimeout(600_000);
    }

    private void configureClient(org.apache.hc.client5.http.impl.classic.HttpClientBuilder builder) {
        builder.setRoutePlanner(new ProxyRoutePlanner(proxies));
        BasicCredentialsProvider credentials = null;
        for (ProxyRules.Proxy proxy : proxies.proxies()) {
            if (proxy.hasCredentials()) {
                if (credentials == null) {
                    credentials = new BasicCredentialsProvider();
                }
                credentials.setCredentials(new AuthScope(proxy.host(), proxy.port()),
                        new UsernamePasswordCredentials(proxy.user(), proxy.password().toCharArray()));
            }
        }
        if (credentials != null) {
            builder.setDefaultCredentialsProvider(credentials);
        }
    }
}
