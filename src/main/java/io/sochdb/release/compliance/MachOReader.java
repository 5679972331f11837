package io.sochdb.release.compliance;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Mach-O headers, thin or fat (universal): each slice's CPU type and its minimum OS version from
 * LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX. Load commands are walked within {@code sizeofcmds} and the slice, and
 * each must be at least 8 bytes long, so the walk always ends.
 */
final class MachOReader {

    static final int MH_MAGIC = 0xfeedface;
    static final int MH_MAGIC_64 = 0xfeedfacf;
    static final int FAT_MAGIC = 0xcafebabe;
    static final int FAT_MAGIC_64 = 0xcafebabf;
    static final int CPU_TYPE_X86 = 7;
    static final int CPU_TYPE_X86_64 = 0x01000007;
    static final int CPU_TYPE_ARM = 12;
    static final int CPU_TYPE_ARM64 = 0x0100000c;
    static final int CPU_TYPE_ARM64_32 = 0x0200000c;
    static final int LC_VERSION_MIN_MACOSX = 0x24;
    static final int LC_BUILD_VERSION = 0x32;
    static final int PLATFORM_MACOS = 1;
    /** Apple never shipped more than a handful of architectures in one file; this also tells fat files from class files. */
    private static final int MAX_SLICES = 32;
    private static final int MAX_COMMANDS = 65_536;

    private final BinaryData data;

    private MachOReader(BinaryData data) {
        this.data = data;
    }

    static BinaryHeader.MachO read(BinaryData data) {
        return new MachOReader(data).read();
    }

    static String architecture(int cpuType) {
        return switch (cpuType) {
            case CPU_TYPE_X86_64 -> "x86_64";
            case CPU_TYPE_ARM64 -> "arm64";
            case CPU_TYPE_X86 -> "i386";
            case CPU_TYPE_ARM -> "arm";
            case CPU_TYPE_ARM64_32 -> "arm64_32";
            default -> String.format("cpu type 0x%x", cpuType);
        };
    }

    private BinaryHeader.MachO read() {
        int magic = (int) data.u32(0, ByteOrder.BIG_ENDIAN, "Mach-O magic");
        if (magic == FAT_MAGIC || magic == FAT_MAGIC_64) {
            return fat(magic == FAT_MAGIC_64);
        }
        Thin thin = thin(0, data.size());
        return new BinaryHeader.MachO(false, thin.fileType(), List.of(thin.slice()));
    }

    private record Thin(int fileType, BinaryHeader.Slice slice) {
    }

    private BinaryHeader.MachO fat(boolean wide) {
        long count = data.u32(4, ByteOrder.BIG_ENDIAN, "fat architecture count");
        if (count == 0 || count > MAX_SLICES) {
            throw new MalformedBinaryException("universal Mach-O claims " + count + " architectures");
        }
        int entry = wide ? 32 : 20;
        List<BinaryHeader.Slice> slices = new ArrayList<>();
        int fileType = -1;
        for (int i = 0; i < count; i++) {
            long at = 8 + (long) i * entry;
            int cpuType = (int) data.u32(at, ByteOrder.BIG_ENDIAN, "fat_arch cputype");
            long offset = wide ? data.u64(at + 8, ByteOrder.BIG_ENDIAN, "fat_arch offset")
                    : data.u32(at + 8, ByteOrder.BIG_ENDIAN, "fat_arch offset");
            long size = wide ? data.u64(at + 16, ByteOrder.BIG_ENDIAN, "fat_arch size")
                    : data.u32(at + 12, ByteOrder.BIG_ENDIAN, "fat_arch size");
            if (offset < 8 + count * entry || offset > data.size() || data.size() - offset < size) {
                throw new MalformedBinaryException("universal Mach-O slice " + i + " (" + architecture(cpuType)
                        + ") lies outside the file");
            }
            Thin thin = thin(offset, size);
            if (thin.slice().cpuType() != cpuType) {
                throw new MalformedBinaryException("universal Mach-O slice " + i + " says " + architecture(cpuType)
                        + " but holds " + thin.slice().architecture());
            }
            fileType = fileType < 0 ? thin.fileType() : fileType;
            slices.add(thin.slice());
        }
        return new BinaryHeader.MachO(true, fileType, slices);
    }

    private Thin thin(long start, long length) {
        int raw = (int) data.u32(start, ByteOrder.LITTLE_ENDIAN, "Mach-O magic");
        ByteOrder order;
        boolean wide;
        if (raw == MH_MAGIC || raw == MH_MAGIC_64) {
            order = ByteOrder.LITTLE_ENDIAN;
            wide = raw == MH_MAGIC_64;
        } else if (Integer.reverseBytes(raw) == MH_MAGIC || Integer.reverseBytes(raw) == MH_MAGIC_64) {
            order = ByteOrder.BIG_ENDIAN;
            wide = Integer.reverseBytes(raw) == MH_MAGIC_64;
        } else {
            throw new MalformedBinaryException("no Mach-O header at offset " + start);
        }
        int header = wide ? 32 : 28;
        if (length < header) {
            throw new MalformedBinaryException("Mach-O header is cut short");
        }
        int cpuType = (int) data.u32(start + 4, order, "cputype");
        int fileType = (int) data.u32(start + 12, order, "filetype");
        long ncmds = data.u32(start + 16, order, "ncmds");
        long sizeofcmds = data.u32(start + 20, order, "sizeofcmds");
        if (fileType != 2 && fileType != 6 && fileType != 8) {
            throw new MalformedBinaryException("Mach-O file type " + fileType
                    + " is not an executable, dynamic library or bundle" + (fileType == 1 ? " (an object file)" : ""));
        }
        if (sizeofcmds > length - header || ncmds > MAX_COMMANDS || ncmds * 8 > sizeofcmds) {
            throw new MalformedBinaryException("Mach-O load commands (" + ncmds + " in " + sizeofcmds
                    + " bytes) do not fit the file");
        }
        String minimum = null;
        int platform = 0;
        long at = start + header;
        long end = at + sizeofcmds;
        for (long i = 0; i < ncmds; i++) {
            if (end - at < 8) {
                throw new MalformedBinaryException("Mach-O load command " + i + " runs past sizeofcmds");
            }
            long cmd = data.u32(at, order, "load command");
            long cmdsize = data.u32(at + 4, order, "load command size");
            if (cmdsize < 8 || cmdsize > end - at) {
                throw new MalformedBinaryException("Mach-O load command " + i + " has size " + cmdsize);
            }
            if (cmd == LC_BUILD_VERSION && minimum == null) {
                requireSize(cmdsize, 24, "LC_BUILD_VERSION");
                platform = (int) data.u32(at + 8, order, "LC_BUILD_VERSION platform");
                minimum = version(data.u32(at + 12, order, "LC_BUILD_VERSION minos"));
            } else if (cmd == LC_VERSION_MIN_MACOSX && minimum == null) {
                requireSize(cmdsize, 16, "LC_VERSION_MIN_MACOSX");
                platform = PLATFORM_MACOS;
                minimum = version(data.u32(at + 8, order, "LC_VERSION_MIN_MACOSX version"));
            }
            at += cmdsize;
        }
        return new Thin(fileType, new BinaryHeader.Slice(cpuType, architecture(cpuType), minimum, platform));
    }

    private static void requireSize(long cmdsize, int needed, String name) {
        if (cmdsize < needed) {
            throw new MalformedBinaryException(name + " is " + cmdsize + " bytes, shorter than its fields");
        }
    }

    /** Apple's packed X.Y.Z: 16 bits major, 8 minor, 8 patch; a zero patch is left out, as Apple writes it. */
    static String version(long packed) {
        long major = packed >>> 16;
        long minor = (packed >>> 8) & 0xff;
        long patch = packed & 0xff;
        return major + "." + minor + (patch == 0 ? "" : "." + patch);
    }
}
