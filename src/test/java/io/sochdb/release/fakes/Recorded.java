package io.sochdb.release.fakes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request the fake received, listed in the order they were answered. {@code path} is decoded and keeps its
 * prefix ({@code /api}, {@code /uploads}, {@code /storage}); {@code query} is raw, or null. Header names are
 * case-insensitive and {@code Authorization} keeps only its scheme, so a failing assertion never prints a token.
 */
public record Recorded(String method, String path, String query, Map<String, List<String>> headers, long bodyBytes,
    Instant at) {

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isWrite() {
        return (path.startsWith("/api/") || path.startsWith("/uploads/"))
            && List.of("POST", "PATCH", "PUT", "DELETE").contains(method);
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " (" + bodyBytes + " bytes)";
    }
}
