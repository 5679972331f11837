package io.sochdb.release.http;

import java.util.Optional;

import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.protocol.HttpContext;

/** Picks the proxy per request from {@link ProxyRules}: curl's choice, made by the component's HttpClient. */
final class ProxyRoutePlanner extends DefaultRoutePlanner {

    private final ProxyRules rules;

    ProxyRoutePlanner(ProxyRules rules) {
        super(null);
        this.rules = rules;
    }

    @Override
    protected HttpHost determineProxy(HttpHost target, HttpContext context) {
        int port = target.getPort() > 0 ? target.getPort() : "https".equalsIgnoreCase(target.getSchemeName()) ? 443 : 80;
        Optional<ProxyRules.Proxy> proxy = rules.proxyFor(target.getSchemeName(), target.getHostName(), port);
        return proxy.map(p -> new HttpHost(p.scheme(), p.host(), p.port())).orElse(null);
    }
}
