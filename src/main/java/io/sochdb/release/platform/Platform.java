package io.sochdb.release.platform;

import java.util.List;

/**
 * One row of the platform table: which upstream archive feeds which wheel.
 *
 * @param tag            a platform tag, or {@code auto} to let the compliance gate derive it from the binaries
 * @param archivePattern upstream asset name, with {@code {version}} and {@code {triple}} filled in per release
 */
public record Platform(String triple, String tag, String archivePattern, List<String> executables, List<String> libraries) {

    public Platform {
        executables = List.copyOf(executables);
        libraries = List.copyOf(libraries);
    }

    public String archiveName(String sochdbVersion) {
        return archivePattern.replace("{version}", sochdbVersion).replace("{triple}", triple);
    }

    public boolean isWindows() {
        return tag.startsWith("win") || triple.contains("-windows");
    }
}
