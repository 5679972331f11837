package io.sochdb.release.compliance;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Tells the object format from the first bytes and hands the file to the reader for it. */
public final class BinaryInspector {

    private BinaryInspector() {
    }

    /** Never throws for bad content: a file that is no binary, or a broken one, comes back as {@link BinaryHeader.Unreadable}. */
    public static BinaryHeader inspect(BinaryData data) {
        try {
            if (data.size() < 4) {
                return new BinaryHeader.Unreadable("is " + data.size() + " bytes long, too short for any binary");
            }
            byte[] head = data.bytes(0, 4, "magic");
            int big = (int) data.u32(0, ByteOrder.BIG_ENDIAN, "magic");
            if (head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
                return ElfReader.read(data);
            }
            if (big == MachOReader.FAT_MAGIC || big == MachOReader.FAT_MAGIC_64
                    || Integer.reverseBytes(big) == MachOReader.MH_MAGIC || Integer.reverseBytes(big) == MachOReader.MH_MAGIC_64
                    || big == MachOReader.MH_MAGIC || big == MachOReader.MH_MAGIC_64) {
                return MachOReader.read(data);
            }
            if (head[0] == 'M' && head[1] == 'Z') {
                return PeReader.read(data);
            }
            return new BinaryHeader.Unreadable("is not an ELF, Mach-O or PE binary" + describe(head));
        } catch (MalformedBinaryException e) {
            return new BinaryHeader.Unreadable("is a broken binary: " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            // A reader bug must not let a file through, nor crash the build with a stack trace.
            return new BinaryHeader.Unreadable("could not be read (internal error: " + e + ")");
        }
    }

    private static String describe(byte[] head) {
        if (head[0] == '#' && head[1] == '!') {
            return " (it starts with #!, a script)";
        }
        boolean text = true;
        for (byte b : head) {
            text &= b >= 0x20 && b < 0x7f || b == '\n' || b == '\r' || b == '\t';
        }
        return text ? " (it starts with text \"" + new String(head, StandardCharsets.US_ASCII).strip() + "\")" : "";
    }
}
