package io.sochdb.release.wheel;

import java.util.Map;

import io.sochdb.release.packaging.ProjectMetadata;

/** The small text files of a wheel's .dist-info folder, other than METADATA and RECORD. */
final class DistInfo {

    private DistInfo() {
    }

    /** WHEEL must agree with the file name's tag, which a renamed py3-none-any wheel does not. */
    static String wheelFile(String generator, String tag) {
        return "Wheel-Version: 1.0\n"
                + "Generator: " + generator + "\n"
                + "Root-Is-Purelib: false\n"
                + "Tag: py3-none-" + tag + "\n";
    }

    /** entry_points.txt in the INI form pip reads; null when the project declares none. */
    static String entryPoints(ProjectMetadata project) {
        if (project.entryPoints().isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, String>> group : project.entryPoints().entrySet()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append('[').append(group.getKey()).append("]\n");
            for (Map.Entry<String, String> entry : group.getValue().entrySet()) {
                out.append(entry.getKey()).append(" = ").append(entry.getValue()).append('\n');
            }
        }
        return out.toString();
    }
}
