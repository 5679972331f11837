package io.sochdb.release.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.sochdb.release.failure.InvalidInputException;

/**
 * The egress proxy as curl and pip read it from the environment: {@code HTTPS_PROXY} for https URLs,
 * {@code HTTP_PROXY} for http ones (lowercase names win, as in curl), and {@code NO_PROXY}: a comma-separated list
 * of host names, which also match their subdomains ({@code example.com} and {@code .example.com} both cover
 * {@code api.example.com}), IP addresses, {@code host:port} entries that match that port only, and {@code *} for
 * everything. CIDR ranges are not read; curl only learnt them in 7.86.
 */
public final class ProxyRules {

    /** A proxy from a variable; the password never leaves this record's accessors, and {@link #toString} hides it. */
    public record Proxy(String variable, String scheme, String host, int port, String user, String password) {

        public boolean hasCredentials() {
            return user != null;
        }

        /** {@code http://proxy.corp:3128}, without any credentials: safe for logs and error messages. */
        public String display() {
            return scheme + "://" + host + ":" + port;
        }

        @Override
        public String toString() {
            return variable + "=" + (user == null ? display() : scheme + "://***@" + host + ":" + port);
        }
    }

    private record Bypass(String host, int port) {
    }

    private final Proxy https;
    private final Proxy http;
    private final boolean bypassAll;
    private final List<Bypass> exceptions;

    private ProxyRules(Proxy https, Proxy http, boolean bypassAll, List<Bypass> exceptions) {
        this.https = https;
        this.http = http;
        this.bypassAll = bypassAll;
        this.exceptions = exceptions;
    }

    public static ProxyRules none() {
        return new ProxyRules(null, null, false, List.of());
    }

    /** Reads the variables; a proxy URL that cannot be used is bad input, named by its variable but not its value. */
    public static ProxyRules fromEnvironment(Map<String, String> env) {
        Proxy https = proxy(env, "https_proxy", "HTTPS_PROXY");
        Proxy http = proxy(env, "http_proxy", "HTTP_PROXY");
        String noProxy = first(env, "no_proxy", "NO_PROXY");
        boolean all = false;
        List<Bypass> exceptions = new ArrayList<>();
        if (noProxy != null) {
            for (String raw : noProxy.split(",")) {
                String entry = raw.strip().toLowerCase(Locale.ROOT);
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.equals("*")) {
                    all = true;
                    continue;
                }
                exceptions.add(exception(entry));
            }
        }
        return new ProxyRules(https, http, all, List.copyOf(exceptions));
    }

    public boolean configured() {
        return https != null || http != null;
    }

    /** Every proxy named, once each: the component needs their credentials. */
    public List<Proxy> proxies() {
        List<Proxy> all = new ArrayList<>();
        if (https != null) {
            all.add(https);
        }
        if (http != null && (https == null || !same(http, https))) {
            all.add(http);
        }
        return all;
    }

    /** The proxy a request to {@code scheme://host:port} goes through; empty when it goes direct. */
    public Optional<Proxy> proxyFor(String scheme, String host, int port) {
        Proxy proxy = "https".equalsIgnoreCase(scheme) ? https : "http".equalsIgnoreCase(scheme) ? http : null;
        if (proxy == null || bypassAll) {
            return Optional.empty();
        }
        String name = stripBrackets(host.toLowerCase(Locale.ROOT));
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (Bypass exception : exceptions) {
            if (exception.port() > 0 && exception.port() != port) {
                continue;
            }
            if (name.equals(exception.host()) || name.endsWith("." + exception.host())) {
                return Optional.empty();
            }
        }
        return Optional.of(proxy);
    }

    public Optional<Proxy> proxyFor(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return proxyFor(uri.getScheme(), uri.getHost(), port);
    }

    /** For the start-up log line: which proxies and exceptions apply, without credentials. */
    public String describe() {
        if (!configured()) {
            return "no proxy";
        }
        StringBuilder text = new StringBuilder();
        text.append("https via ").append(https == null ? "direct" : https.display());
        text.append(", http via ").append(http == null ? "direct" : http.display());
        if (bypassAll) {
            text.append(", NO_PROXY=* (every host direct)");
        } else if (!exceptions.isEmpty()) {
            text.append(", direct for ").append(String.join(",", exceptions.stream()
                    .map(e -> e.port() > 0 ? e.host() + ":" + e.port() : e.host()).toList()));
        }
        return text.toString();
    }

    private static Bypass exception(String entry) {
        String host = entry;
        int port = -1;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close > 0 && host.length() > close + 2 && host.charAt(close + 1) == ':') {
                port = parsePort(host.substring(close + 2));
            }
            host = close > 0 ? host.substring(1, close) : host;
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
            port = parsePort(host.substring(host.indexOf(':') + 1));
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.startsWith("*.")) {
            host = host.substring(2);
        } else if (host.startsWith(".")) {
            host = host.substring(1);
        }
        return new Bypass(host, port);
    }

    private static int parsePort(String text) {
        return text.matches("\\d{1,5}") ? Integer.parseInt(text) : -1;
    }

    private static Proxy proxy(Map<String, String> env, String lower, String upper) {
        String variable = env.get(lower) != null && !env.get(lower).isBlank() ? lower : upper;
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        // curl and pip take "proxy:3128" as http://proxy:3128.
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "http://" + text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(variable + " is not a proxy URL; expected http://[user:password@]host:port");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInputException(variable + " names a " + scheme + " proxy; only http:// and https:// proxies "
                    + "are supported");
        }
        if (uri.getHost() == null) {
            throw new InvalidInputException(variable + " has no host; expected http://[user:password@]host:port");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        return new Proxy(variable, scheme, stripBrackets(uri.getHost()), port, user, password);
    }

    private static String decode(String part) {
        return java.net.URLDecoder.decode(part.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String first(Map<String, String> env, String lower, String upper) {
        String value = env.get(lower);
        return value != null && !value.isBlank() ? value : env.get(upper);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean same(Proxy a, Proxy b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }
}
