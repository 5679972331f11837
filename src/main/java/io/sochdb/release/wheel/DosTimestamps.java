package io.sochdb.release.wheel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;

/**
 * Stamps one DOS date and time into every local and central header of a finished zip.
 *
 * <p>Zip stores wall-clock fields, and Commons Compress derives them through this JVM's time zone. A time that
 * falls into a daylight-saving gap of that zone would come out an hour off, and the wheel would differ from one
 * built elsewhere. Writing the fields ourselves makes the bytes independent of the machine's zone. It relies on
 * what {@link WheelWriter} guarantees: no data descriptors and no ZIP64, so every size is in the headers.
 */
final class DosTimestamps {

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;

    private DosTimestamps() {
    }

    static void stamp(Path zip, LocalDateTime time) throws IOException {
        short dosTime = (short) (time.getHour() << 11 | time.getMinute() << 5 | time.getSecond() / 2);
        short dosDate = (short) ((time.getYear() - 1980) << 9 | time.getMonthValue() << 5 | time.getDayOfMonth());
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
            while (true) {
                header.clear().limit(30);
                channel.read(header, position);
                int signature = header.getInt(0);
                if (signature != LOCAL_HEADER) {
                    break;
                }
                write(channel, position + 10, dosTime, dosDate);
                long compressed = header.getInt(18) & 0xffffffffL;
                position += 30 + (header.getShort(26) & 0xffff) + (header.getShort(28) & 0xffff) + compressed;
            }
            while (true) {
                header.clear().limit(46);
                channel.read(header, position);
                if (header.getInt(0) != CENTRAL_HEADER) {
                    break;
                }
                write(channel, position + 12, dosTime, dosDate);
                position += 46 + (header.getShort(28) & 0xffff) + (header.getShort(30) & 0xffff)
                        + (header.getShort(32) & 0xffff);
            }
        }
    }

    private static void write(FileChannel channel, long offset, short time, short date) throws IOException {
        ByteBuffer fields = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort(time).putShort(date);
        channel.write(fields.flip(), offset);
    }
}
