package io.sochdb.release.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked random access to a binary's bytes. Every read that would leave the file ends in a
 * {@link MalformedBinaryException} naming what was being read, so a hostile offset is an error, never an exception
 * from deep inside a reader.
 */
public abstract class BinaryData {

    /** No header structure we read is larger; a bigger claim is refused rather than allocated. */
    static final int MAX_READ = 1 << 22;
    static final int MAX_STRING = 4096;

    public static BinaryData of(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** The channel stays owned by the caller. */
    public static BinaryData of(FileChannel channel) throws IOException {
        return new Channel(channel, channel.size());
    }

    public abstract long size();

    protected abstract void fill(long offset, ByteBuffer target) throws IOException;

    /** {@code length} bytes at {@code offset}, in the given byte order. */
    final ByteBuffer read(long offset, int length, ByteOrder order, String what) {
        if (length < 0 || length > MAX_READ) {
            throw new MalformedBinaryException(what + " claims " + length + " bytes");
        }
        if (offset < 0 || offset > size() || size() - offset < length) {
            throw new MalformedBinaryException(what + " lies outside the file (offset " + offset + ", " + length
                    + " bytes, file has " + size() + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        try {
            fill(offset, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the binary: " + e.getMessage(), e);
        }
        return buffer.flip();
    }

    final int u16(long offset, ByteOrder order, String what) {
        return Short.toUnsignedInt(read(offset, 2, order, what).getShort());
    }

    final long u32(long offset, ByteOrder order, String what) {
        return Integer.toUnsignedLong(read(offset, 4, order, what).getInt());
    }

    /** An unsigned 64-bit field; values past {@code Long.MAX_VALUE} cannot be file offsets and are refused. */
    final long u64(long offset, ByteOrder order, String what) {
        long value = read(offset, 8, order, what).getLong();
        if (value < 0) {
            throw new MalformedBinaryException(what + " is larger than any file");
        }
        return value;
    }

    final byte[] bytes(long offset, int length, String what) {
        ByteBuffer buffer = read(offset, length, ByteOrder.LITTLE_ENDIAN, what);
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }

    /** A NUL-terminated name that must end before {@code limit}; only printable ASCII passes, so messages stay readable. */
    final String cString(long offset, long limit, String what) {
        long end = Math.min(limit, size());
        if (offset < 0 || offset >= end) {
            throw new MalformedBinaryException(what + " points outside its string table");
        }
        int length = (int) Math.min(MAX_STRING, end - offset);
        byte[] chunk = bytes(offset, length, what);
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == 0) {
                return new String(chunk, 0, i, StandardCharsets.US_ASCII);
            }
            if (chunk[i] < 0x21 || chunk[i] > 0x7e) {
                throw new MalformedBinaryException(what + " is not a readable name");
            }
        }
        throw new MalformedBinaryException(what + " has no end within its string table");
    }

    private static final class Bytes extends BinaryData {
        private final byte[] bytes;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        protected void fill(long offset, ByteBuffer target) {
            target.put(bytes, (int) offset, target.remaining());
        }
    }

    private static final class Channel extends BinaryData {
        private final FileChannel channel;
        private final long size;

        Channel(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        protected void fill(long offset, ByteBuffer target) throws IOException {
            long at = offset;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    throw new IOException("file shrank while it was read");
                }
                at += n;
            }
        }
    }
}
