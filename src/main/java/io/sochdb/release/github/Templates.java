package io.sochdb.release.github;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The Markdown templates shipped in the jar under {@code templates/}, read once by the class that fills them. */
final class Templates {

    private Templates() {
    }

    static String read(String name) {
        String resource = "/templates/" + name;
        try (InputStream in = Templates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the template templates/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the template templates/" + name, e);
        }
    }
}
