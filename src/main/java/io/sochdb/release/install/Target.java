package io.sochdb.release.install;

import java.util.ArrayList;
import java.util.List;

import io.sochdb.release.run.Artifact;

/**
 * One platform the release promises, and the wheel built for it.
 *
 * @param tag         the platform tag from the platform table, which pip is asked for
 * @param executables paths inside the installed tree, e.g. {@code sochdb/_bin/<triple>/sochdb-bulk}
 */
record Target(String triple, String tag, List<String> executables, Artifact wheel) {

    /** Every {@code python-abi-platform} tag the wheel's file name claims, compressed tag sets expanded. */
    List<String> fileTags() {
        String name = wheel.name().substring(0, wheel.name().length() - ".whl".length());
        String[] parts = name.split("-");
        if (parts.length < 5) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        int n = parts.length;
        for (String py : parts[n - 3].split("\\.")) {
            for (String abi : parts[n - 2].split("\\.")) {
                for (String platform : parts[n - 1].split("\\.")) {
                    tags.add(py + "-" + abi + "-" + platform);
                }
            }
        }
        return tags;
    }
}
