package io.sochdb.release.upstream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sochdb.release.platform.Platform;

/**
 * The upstream archives a release found, and the optional platforms whose archive upstream did not attach.
 *
 * @param found       per platform, in table order, where its archive is
 * @param notAttached optional platforms without an archive: they get no wheel, and the summary names them
 */
public record ArchiveSet<T>(Map<Platform, T> found, List<Platform> notAttached) {

    public ArchiveSet {
        found = Collections.unmodifiableMap(new LinkedHashMap<>(found));
        notAttached = List.copyOf(notAttached);
    }
}
