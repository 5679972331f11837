package io.sochdb.release.platform;

import java.util.List;

/**
 * One row of the platform table: which upstream archive feeds which wheel.
 *
 * @param tag            a platform tag, or {@code auto} to let the compliance gate derive it from the binaries
 * @param archivePattern upstream asset name, with {@code {version}} and {@code {triple}} filled in per release
 * @param required       a release without this platform's archive fails; an optional platform whose archive
 *                       upstream did not attach is left out of the release and named in its summary and notes
 */
public record Platform(String triple, String tag, String archivePattern, List<String> executables, List<String> libraries,
        boolean required) {

    public Platform {
        executables = List.copyOf(executables);
        libraries = List.copyOf(libraries);
    }

    public Platform(String triple, String tag, String archivePattern, List<String> executables, List<String> libraries) {
        this(triple, tag, archivePattern, executables, libraries, true);
    }

    public String archiveName(String sochdbVersion) {
        return archivePattern.replace("{version}", sochdbVersion).replace("{triple}", triple);
    }

    public boolean isWindows() {
        return tag.startsWith("win") || triple.contains("-windows");
    }
}
