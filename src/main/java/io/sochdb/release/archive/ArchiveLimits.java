package io.sochdb.release.archive;

/** Bounds that stop a decompression bomb before it fills the disk. Sizes are uncompressed bytes. */
public record ArchiveLimits(long maxEntryBytes, long maxTotalBytes, int maxEntries) {
}
