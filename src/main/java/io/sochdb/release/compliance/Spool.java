package io.sochdb.release.compliance;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a copy of a binary while it streams into the wheel, so its headers can be read with random access
 * afterwards (ELF section headers sit at the end). The cost is one sequential write per binary; only the few
 * header structures are read back.
 */
public final class Spool implements AutoCloseable {

    private final Path file;

    public Spool(Path file) {
        this.file = file;
    }

    /** Hands {@code content} on unchanged, writing every byte read to the spool file too. */
    public InputStream capture(InputStream content) throws IOException {
        OutputStream copy = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        return new FilterInputStream(content) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    copy.write(b);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    copy.write(buffer, offset, n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                copy.close();
            }
        };
    }

    /** Reads the headers of what the last {@link #capture} stream delivered, which must be closed by now. */
    public BinaryHeader inspect() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return BinaryInspector.inspect(BinaryData.of(channel));
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
