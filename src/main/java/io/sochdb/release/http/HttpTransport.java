package io.sochdb.release.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.UnitOfWorkHelper;

/**
 * Every outbound request of the service, sent through Camel's http component: one producer for http and https
 * URLs alike, so that {@code camel.component.http.*} (timeouts, pool sizes, TLS) and the proxy and CA set-up of
 * {@link OutboundHttp} apply to all of them. Redirects are never followed, an error status is an answer rather
 * than an exception, and response bodies above the streaming threshold are spooled to disk by Camel's stream
 * cache, so a download of any size passes in constant memory.
 */
public final class HttpTransport implements AutoCloseable {

    /** One request; {@code body} is null, a String, a File (streamed with its length) or an HttpEntity. */
    public record Request(String method, URI uri, Map<String, String> headers, String contentType, Object body) {

        public static Request get(URI uri) {
            return new Request("GET", uri, Map.of(), null, null);
        }

        public Request header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Request(method, uri, more, contentType, body);
        }

        public Request withBody(String type, Object content) {
            return new Request(method, uri, headers, type, content);
        }
    }

    /** An answer with its body read as UTF-8 text; header names are lowercase, the first value of each kept. */
    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Reads a successful body (a download) as a stream instead of as text. */
    @FunctionalInterface
    public interface BodySink {
        void accept(InputStream body) throws IOException;
    }

    // The endpoint only names the component; each request brings its own URL (CamelHttpUri).
    private static final String ENDPOINT = "http://outbound?throwExceptionOnFailure=false&followRedirects=false"
            + "&copyHeaders=false";

    private final CamelContext camel;
    private final boolean ownsContext;
    private volatile Producer producer;

    public HttpTransport(CamelContext camel) {
        this(camel, false);
    }

    private HttpTransport(CamelContext camel, boolean ownsContext) {
        this.camel = camel;
        this.ownsContext = ownsContext;
    }

    /**
     * A transport on a Camel context of its own, for tools and tests that use a client outside the application;
     * it reads the proxy and CA variables from this process's environment like the application does.
     */
    public static HttpTransport standalone() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getStreamCachingStrategy().setSpoolEnabled(true);
        OutboundHttp.fromEnvironment(System.getenv()).applyTo(context);
        OutboundHttp.applyDefaultTimeouts(context);
        context.start();
        return new HttpTransport(context, true);
    }

    public Response send(Request request) throws IOException {
        return send(request, null);
    }

    /** With a sink, a 200 body goes to the sink and the Response carries an empty body. */
    public Response send(Request request, BodySink sink) throws IOException {
        Producer producer = producer();
        Exchange exchange = producer.getEndpoint().createExchange();
        prepare(exchange, request);
        try {
            try {
                producer.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failure = exchange.getException();
            if (failure != null) {
                throw ioOf(failure, request);
            }
            return read(exchange, request, sink);
        } finally {
            // Called without a unit of work, so that the spooled body outlives the call until it is read; its
            // clean-up (the spool file) runs here.
            UnitOfWorkHelper.doneSynchronizations(exchange, exchange.getExchangeExtension().handoverCompletions());
        }
    }

    private static Response read(Exchange exchange, Request request, BodySink sink) throws IOException {
        Message answer = exchange.getMessage();
        Integer status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new IOException("no HTTP answer from " + request.method() + " " + safe(request.uri()));
        }
        Map<String, String> headers = headers(answer);
        Object body = answer.getBody();
        try {
            if (sink != null && status == 200) {
                try (InputStream in = body == null ? InputStream.nullInputStream() : answer.getBody(InputStream.class)) {
                    sink.accept(in);
                }
                return new Response(status, headers, "");
            }
            byte[] bytes = body == null ? new byte[0] : answer.getBody(byte[].class);
            return new Response(status, headers, bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8));
        } finally {
            // A spooled body deletes its file when closed.
            if (body instanceof InputStream stream) {
                stream.close();
            }
        }
    }

    private static void prepare(Exchange exchange, Request request) {
        Message in = exchange.getMessage();
        URI uri = request.uri();
        in.setHeader(Exchange.HTTP_METHOD, request.method());
        String raw = uri.toASCIIString();
        int query = raw.indexOf('?');
        in.setHeader(Exchange.HTTP_URI, query < 0 ? raw : raw.substring(0, query));
        if (uri.getRawQuery() != null) {
            in.setHeader(Exchange.HTTP_QUERY, uri.getRawQuery());
        }
        request.headers().forEach(in::setHeader);
        if (request.contentType() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        }
        in.setBody(request.body());
    }

    private static Map<String, String> headers(Message answer) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, Object> header : answer.getHeaders().entrySet()) {
            if (header.getKey().startsWith("Camel")) {
                continue;
            }
            Object value = header.getValue();
            if (value instanceof List<?> list) {
                value = list.isEmpty() ? null : list.get(0);
            }
            if (value != null) {
                headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), value.toString());
            }
        }
        return Map.copyOf(headers);
    }

    /** Connection and TLS failures as the IOException they are; anything else is a bug, not worth a retry. */
    private static IOException ioOf(Exception failure, Request request) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        throw new IllegalStateException(request.method() + " " + safe(request.uri()) + " could not be sent: "
                + failure.getMessage(), failure);
    }

    /** Scheme, host, port and path: never a query, which may carry a token. */
    static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath();
    }

    /** Built on first use: an offline dry run never needs it, and its TLS set-up costs start-up time. */
    private Producer producer() throws IOException {
        Producer built = producer;
        if (built == null) {
            synchronized (this) {
                built = producer;
                if (built == null) {
                    try {
                        Endpoint endpoint = camel.getEndpoint(ENDPOINT);
                        built = endpoint.createProducer();
                        // The context stops it with everything else.
                        camel.addService(built, true, true);
                    } catch (Exception e) {
                        throw new IOException("cannot start the outbound HTTP producer: " + e.getMessage(), e);
                    }
                    producer = built;
                }
            }
        }
        return built;
    }

    @Override
    public void close() throws IOException {
        if (ownsContext) {
            camel.stop();
        }
    }
}
