package io.sochdb.release.archive;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams the regular files of a tar.gz or zip archive to a visitor, one at a time, never extracting to disk.
 * Everything that could escape the archive or exhaust the machine is refused: absolute or {@code ..} names,
 * links, device entries, and entries or totals beyond {@link ArchiveLimits}.
 */
public final class ArchiveReader {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ArchiveReader.class);

    /** Receives each regular file; the stream is valid only during the call and ends at the entry's end. */
    @FunctionalInterface
    public interface Visitor {
        void file(String name, InputStream content) throws IOException;

        /**
         * A zip entry stored deflated. {@code content} inflates it as {@link #file} would; {@code deflated} also
         * offers its compressed bytes. By default the entry is handled like any other file.
         */
        default void deflatedFile(String name, InputStream content, DeflatedEntry deflated) throws IOException {
            file(name, content);
        }
    }

    /** What a visitor does with one entry; lets both kinds of delivery share the error mapping. */
    @FunctionalInterface
    private interface Delivery {
        void run() throws IOException;
    }

    private final ArchiveLimits limits;
    private final boolean skipLinks;

    /** A reader that refuses links: upstream binaries have no business being links. */
    public ArchiveReader(ArchiveLimits limits) {
        this(limits, false);
    }

    /** @param skipLinks leave links out (logged) instead of refusing the archive, for source trees */
    public ArchiveReader(ArchiveLimits limits, boolean skipLinks) {
        this.limits = limits;
        this.skipLinks = skipLinks;
    }

    public void read(Path archive, Visitor visitor) {
        String fileName = archive.getFileName().toString();
        try {
            if (fileName.endsWith(".zip")) {
                readZip(archive, visitor);
            } else {
                readTarGz(archive, visitor);
            }
        } catch (BadArchiveException | UncheckedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadArchiveException(fileName + " is corrupt or truncated: " + describe(e), e);
        }
    }

    private void readTarGz(Path archive, Visitor visitor) throws IOException {
        String fileName = archive.getFileName().toString();
        Budget budget = new Budget(fileName);
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             GzipCompressorInputStream gzip = GzipCompressorInputStream.builder().setInputStream(file)
                     .setDecompressConcatenated(true).get();
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = EntryNames.check(fileName, entry.getName());
                if ((entry.isSymbolicLink() || entry.isLink()) && skipLinks) {
                    LOG.info("Leaving out {} from {}: links are not unpacked", name, fileName);
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new BadArchiveException(fileName + ": entry " + name + " is a link to " + entry.getLinkName()
                            + "; links are refused because they can point outside the wheel");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                if (!entry.isFile()) {
                    throw new BadArchiveException(fileName + ": entry " + name + " is not a regular file (device, fifo or other special entry)");
                }
                // A tar's declared size is what the stream will deliver, so the bounds hold before a byte is inflated.
                budget.admit(name, entry.getSize());
                Bounded content = new Bounded(tar, budget, name);
                deliver(name, () -> visitor.file(name, content));
            }
            // Tar stops at its end marker; reading gzip to its end is what checks the CRC of everything we shipped.
            drain(gzip);
        }
    }

    private void readZip(Path archive, Visitor visitor) throws IOException {
        String fileName = archive.getFileName().toString();
        Budget budget = new Budget(fileName);
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                String name = EntryNames.check(fileName, entry.getName());
                if (entry.isUnixSymlink() && skipLinks) {
                    LOG.info("Leaving out {} from {}: links are not unpacked", name, fileName);
                    continue;
                }
                if (entry.isUnixSymlink()) {
                    throw new BadArchiveException(fileName + ": entry " + name
                            + " is a symbolic link; links are refused because they can point outside the wheel");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                budget.admit(name, Math.max(entry.getSize(), 0));
                CRC32 crc = new CRC32();
                try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
                    // A zip's declared size can lie; the bounded stream enforces the limit on what really inflates.
                    Bounded content = new Bounded(in, budget, name);
                    if (entry.getMethod() == ZipArchiveEntry.DEFLATED) {
                        DeflatedEntry deflated = deflated(zip, entry);
                        deliver(name, () -> visitor.deflatedFile(name, content, deflated));
                    } else {
                        deliver(name, () -> visitor.file(name, content));
                    }
                    drain(content);
                }
                if (crc.getValue() != entry.getCrc()) {
                    throw new BadArchiveException(fileName + " is corrupt or truncated: entry " + name + " fails its CRC check");
                }
            }
        }
    }

    /**
     * Read failures inside an entry mean a bad archive; any other I/O failure of the visitor is its own
     * (a full disk while writing the wheel) and must not be reported as a corrupt upstream file.
     */
    private static void deliver(String name, Delivery delivery) throws IOException {
        try {
            delivery.run();
        } catch (EntryReadException e) {
            throw (IOException) e.getCause();
        } catch (IOException e) {
            throw new UncheckedIOException("could not store " + name + ": " + describe(e), e);
        }
    }

    private static DeflatedEntry deflated(ZipFile zip, ZipArchiveEntry entry) {
        return new DeflatedEntry() {
            @Override
            public long crc() {
                return entry.getCrc();
            }

            @Override
            public long size() {
                return entry.getSize();
            }

            @Override
            public long compressedSize() {
                return entry.getCompressedSize();
            }

            @Override
            public InputStream openRaw() throws IOException {
                InputStream raw;
                try {
                    raw = zip.getRawInputStream(entry);
                } catch (IOException e) {
                    throw new EntryReadException(e);
                }
                return new FilterInputStream(raw) {
                    @Override
                    public int read() throws IOException {
                        try {
                            return super.read();
                        } catch (IOException e) {
                            throw new EntryReadException(e);
                        }
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        try {
                            return super.read(buffer, offset, length);
                        } catch (IOException e) {
                            throw new EntryReadException(e);
                        }
                    }
                };
            }
        };
    }

    /** Marks a failure to read the archive, as opposed to a failure of whoever consumes the entry. */
    private static final class EntryReadException extends IOException {
        EntryReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (in.read(buffer) >= 0) {
            // only reading matters: the stream verifies what passes through
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Counts entries, declared bytes and inflated bytes across the archive. */
    private final class Budget {
        private final String archive;
        private long total;
        private long inflated;
        private int entries;

        Budget(String archive) {
            this.archive = archive;
        }

        void admit(String name, long size) {
            if (++entries > limits.maxEntries()) {
                throw new BadArchiveException(archive + " holds more than " + limits.maxEntries()
                        + " entries (release.archive.max-entries)");
            }
            if (size > limits.maxEntryBytes()) {
                throw new BadArchiveException(archive + ": entry " + name + " is " + size + " bytes, more than the limit of "
                        + limits.maxEntryBytes() + " (release.archive.max-entry-bytes)");
            }
            total += size;
            if (total > limits.maxTotalBytes()) {
                throw tooLarge();
            }
        }

        /** Declared sizes can understate (zip); what really inflates is held to the same total. */
        void inflated(String name, long entryBytes, int n) {
            if (entryBytes > limits.maxEntryBytes()) {
                throw new BadArchiveException(archive + ": entry " + name + " inflates past the limit of "
                        + limits.maxEntryBytes() + " bytes (release.archive.max-entry-bytes)");
            }
            inflated += n;
            if (inflated > limits.maxTotalBytes()) {
                throw tooLarge();
            }
        }

        private BadArchiveException tooLarge() {
            return new BadArchiveException(archive + " unpacks to more than " + limits.maxTotalBytes()
                    + " bytes (release.archive.max-total-bytes)");
        }
    }

    /** Ends at the entry's end, never closes the archive, and refuses to inflate past the limits. */
    private static final class Bounded extends FilterInputStream {
        private final Budget budget;
        private final String name;
        private long count;

        Bounded(InputStream in, Budget budget, String name) {
            super(in);
            this.budget = budget;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw new EntryReadException(e);
            }
            if (b >= 0) {
                account(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                throw new EntryReadException(e);
            }
            if (n > 0) {
                account(n);
            }
            return n;
        }

        private void account(int n) {
            count += n;
            budget.inflated(name, count, n);
        }

        @Override
        public void close() {
            // The archive stream outlives its entries.
        }
    }
}
