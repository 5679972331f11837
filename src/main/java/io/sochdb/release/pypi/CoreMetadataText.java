package io.sochdb.release.pypi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed METADATA / PKG-INFO: RFC 822 style headers, folded lines joined with a space (as pkginfo, and so twine,
 * joins them), and the description body.
 */
final class CoreMetadataText {

    private final Map<String, List<String>> headers;
    private final String body;

    private CoreMetadataText(Map<String, List<String>> headers, String body) {
        this.headers = headers;
        this.body = body;
    }

    static CoreMetadataText parse(String text) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        String lastName = null;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            if (Character.isWhitespace(line.charAt(0)) && lastName != null) {
                List<String> values = headers.get(lastName);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            lastName = line.substring(0, colon);
            headers.computeIfAbsent(lastName, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        StringBuilder body = new StringBuilder();
        for (i = i + 1; i < lines.length; i++) {
            body.append(lines[i]);
            if (i < lines.length - 1) {
                body.append('\n');
            }
        }
        return new CoreMetadataText(headers, body.toString());
    }

    String first(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> all(String name) {
        return headers.getOrDefault(name, List.of());
    }

    String body() {
        return body;
    }
}
