package io.sochdb.release.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an HTTP route answers: status, a message for people, and extra headers. */
public record HttpReply(int status, String message, Map<String, String> headers) {

    public static HttpReply of(int status, String message) {
        return new HttpReply(status, message, Map.of());
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpReply(status, message, Map.copyOf(all));
    }
}
