package io.sochdb.release.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * A zip entry that upstream already deflated: its declared CRC and sizes, and its compressed bytes as they are in
 * the archive. A wheel can take those bytes unchanged instead of inflating and deflating them again.
 *
 * <p>The declared values are upstream's claims. The reader checks the CRC of what really inflates once the
 * visitor returns; whoever copies the raw bytes must compare the inflated size with {@link #size()} itself.
 */
public interface DeflatedEntry {

    long crc();

    long size();

    long compressedSize();

    /** The compressed bytes, read from the archive again; the caller closes the stream. */
    InputStream openRaw() throws IOException;
}
