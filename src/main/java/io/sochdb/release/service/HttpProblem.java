package io.sochdb.release.service;

import java.util.Map;

/**
 * A request that is answered with an error status. Thrown by the trigger beans and turned into the reply by the
 * routes' {@code onException}, so that each route reads as its happy path.
 */
public final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    public HttpProblem(int status, String message) {
        this(status, message, Map.of());
    }

    public HttpProblem(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static HttpProblem unauthorized(String message, String challenge) {
        return new HttpProblem(401, message, challenge == null ? Map.of() : Map.of("WWW-Authenticate", challenge));
    }

    public static HttpProblem unavailable(String message) {
        return new HttpProblem(503, message, Map.of("Retry-After", "30"));
    }
}
