package io.sochdb.release.fakes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One POST to the upload endpoint as {@link FakePyPI} saw it, whatever it answered. {@code fields} are the text parts
 * in the order sent, repeated names included (classifiers, requires_dist), decoded as UTF-8 as Warehouse decodes
 * them; the file part {@code content} is described by {@code filename}, {@code contentType}, {@code size} and the
 * digests computed from the bytes received (null when no file part came). {@code authUser} is the Basic user name
 * (never the password) or null; {@code status} and {@code message} are the fake's answer.
 */
public record PyPIUpload(String filename, List<Map.Entry<String, String>> fields, String contentType, long size,
    String sha256, String md5, String blake2b256, String authUser, boolean authorizationPresent, int status,
    String message) {

    public PyPIUpload {
        fields = List.copyOf(fields);
    }

    /** The first value of a field, or null. */
    public String field(String name) {
        return fields.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst()
            .orElse(null);
    }

    /** Every value of a field, in the order sent. */
    public List<String> fieldValues(String name) {
        return fields.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }

    /** Field names in first-seen order, each with all its values. */
    public Map<String, List<String>> fieldMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        fields.forEach(e -> map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return map;
    }

    public boolean accepted() {
        return status == 200;
    }

    @Override
    public String toString() {
        return "upload " + filename + " (" + size + " bytes, user " + authUser + ") -> " + status
            + (message == null ? "" : " " + message);
    }
}
