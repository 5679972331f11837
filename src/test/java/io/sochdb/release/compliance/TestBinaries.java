package io.sochdb.release.compliance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built binary headers for tests: just the structures the readers look at, laid out as linkers do. */
public final class TestBinaries {

    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int ARM64 = 0x0100000c;
    public static final int X86_64 = 0x01000007;

    private TestBinaries() {
    }

    /**
     * A 64-bit LSB shared object with .dynstr, .dynamic (DT_NEEDED) and .gnu.version_r, section headers last.
     *
     * @param versions per library file, the versions needed from it (e.g. libc.so.6 -> GLIBC_2.39)
     */
    public static byte[] elf(int machine, List<String> needed, Map<String, List<String>> versions) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(0);
        Map<String, Integer> index = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(needed);
        versions.forEach((file, list) -> {
            all.add(file);
            all.addAll(list);
        });
        for (String s : all) {
            if (!index.containsKey(s)) {
                index.put(s, strings.size());
                strings.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
                strings.write(0);
            }
        }
        byte[] dynstr = strings.toByteArray();
        ByteBuffer dynamic = le((needed.size() + 1) * 16);
        for (String lib : needed) {
            dynamic.putLong(1).putLong(index.get(lib));
        }
        dynamic.putLong(0).putLong(0);
        int entries = versions.size() + versions.values().stream().mapToInt(List::size).sum();
        ByteBuffer verneed = le(entries * 16);
        int fileNo = 0;
        for (Map.Entry<String, List<String>> file : versions.entrySet()) {
            int count = file.getValue().size();
            boolean last = ++fileNo == versions.size();
            verneed.putShort((short) 1).putShort((short) count).putInt(index.get(file.getKey())).putInt(16)
                    .putInt(last ? 0 : 16 + count * 16);
            for (int i = 0; i < count; i++) {
                verneed.putInt(0).putShort((short) 0).putShort((short) (i + 2)).putInt(index.get(file.getValue().get(i)))
                        .putInt(i == count - 1 ? 0 : 16);
            }
        }
        int dynstrAt = 64;
        int dynamicAt = align(dynstrAt + dynstr.length);
        int verneedAt = dynamicAt + dynamic.capacity();
        int shoff = align(verneedAt + verneed.capacity());
        ByteBuffer out = le(shoff + 4 * 64);
        header(out, 3, machine, shoff, 4);
        out.position(dynstrAt);
        out.put(dynstr);
        out.position(dynamicAt);
        out.put(dynamic.array());
        out.position(verneedAt);
        out.put(verneed.array());
        out.position(shoff + 64);
        section(out, 3, dynstrAt, dynstr.length, 0, 0);
        section(out, 6, dynamicAt, dynamic.capacity(), 1, 0);
        section(out, 0x6ffffffe, verneedAt, verneed.capacity(), 1, versions.size());
        return out.array();
    }

    /** ELF with needs on libc only: {@code GLIBC_<v>} for each version given. */
    public static byte[] elfNeedingGlibc(String... glibc) {
        List<String> names = new ArrayList<>();
        for (String v : glibc) {
            names.add("GLIBC_" + v);
        }
        return elf(EM_X86_64, List.of("libc.so.6"), Map.of("libc.so.6", names));
    }

    /** A 64-byte ELF header with no sections and no segments. */
    public static byte[] staticElf(int machine, int elfClass, int byteOrder) {
        ByteBuffer out = le(64);
        header(out, 2, machine, 0, 0);
        out.put(4, (byte) elfClass).put(5, (byte) byteOrder);
        return out.array();
    }

    private static void header(ByteBuffer b, int type, int machine, long shoff, int shnum) {
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        b.putLong(40, shoff).putShort(52, (short) 64).putShort(54, (short) 56).putShort(58, (short) 64)
                .putShort(60, (short) shnum);
    }

    private static void section(ByteBuffer b, int type, long offset, long size, int link, int info) {
        int at = b.position();
        b.putInt(at + 4, type).putLong(at + 24, offset).putLong(at + 32, size).putInt(at + 40, link).putInt(at + 44, info);
        b.position(at + 64);
    }

    /** A thin 64-bit Mach-O with LC_BUILD_VERSION (platform 1 = macOS), or no version command when major is negative. */
    public static byte[] machO(int cpuType, int fileType, int major, int minor) {
        return machO(cpuType, fileType, major, minor, 1, 0x32);
    }

    /** @param command 0x32 LC_BUILD_VERSION or 0x24 LC_VERSION_MIN_MACOSX */
    public static byte[] machO(int cpuType, int fileType, int major, int minor, int platform, int command) {
        boolean versioned = major >= 0;
        int cmdsize = command == 0x32 ? 24 : 16;
        ByteBuffer b = le(32 + (versioned ? cmdsize : 0) + 64);
        b.putInt(0xfeedfacf).putInt(cpuType).putInt(0).putInt(fileType).putInt(versioned ? 1 : 0)
                .putInt(versioned ? cmdsize : 0).putInt(0).putInt(0);
        if (versioned) {
            int packed = major << 16 | minor << 8;
            if (command == 0x32) {
                b.putInt(0x32).putInt(24).putInt(platform).putInt(packed).putInt(packed).putInt(0);
            } else {
                b.putInt(0x24).putInt(16).putInt(packed).putInt(packed);
            }
        }
        return b.array();
    }

    /**
     * A thin 64-bit Mach-O as ld64 links a Rust program or cdylib: LC_SEGMENT_64 __PAGEZERO (executables) or
     * __TEXT, then LC_BUILD_VERSION for macOS with the minimum, the SDK it was built against and one tool entry
     * (ld), then LC_LOAD_DYLIB of libSystem. The minimum is not the first command, as in real files.
     */
    public static byte[] linkedMachO(int cpuType, int fileType, int major, int minor, int sdkMajor) {
        byte[] libSystem = "/usr/lib/libSystem.B.dylib\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII);
        int segment = 72;
        int build = 24 + 8;
        int dylib = 24 + libSystem.length;
        int sizeofcmds = segment + build + dylib;
        ByteBuffer b = le(32 + sizeofcmds + 4096);
        b.putInt(0xfeedfacf).putInt(cpuType).putInt(cpuType == X86_64 ? 3 : 0).putInt(fileType).putInt(3)
                .putInt(sizeofcmds).putInt(fileType == 2 ? 0x00200085 : 0x00100085).putInt(0);
        b.putInt(0x19).putInt(segment);                                     // LC_SEGMENT_64
        byte[] name = new byte[16];
        byte[] segName = (fileType == 2 ? "__PAGEZERO" : "__TEXT").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(segName, 0, name, 0, segName.length);
        b.put(name).putLong(0).putLong(fileType == 2 ? 0x100000000L : 0x4000).putLong(0).putLong(0)
                .putInt(0).putInt(0).putInt(0).putInt(0);
        b.putInt(0x32).putInt(build).putInt(1).putInt(major << 16 | minor << 8).putInt(sdkMajor << 16).putInt(1)
                .putInt(3).putInt(1115 << 16 | 7 << 8);                      // tool 3 = ld, version 1115.7
        b.putInt(0xc).putInt(dylib).putInt(24).putInt(2).putInt(0x05270000).putInt(0x00010000).put(libSystem);
        return b.array();
    }

    /** A universal file whose slices are the given thin files, at 4 KiB boundaries as lipo lays them out. */
    public static byte[] fat(byte[]... slices) {
        int offset = 4096;
        List<Integer> offsets = new ArrayList<>();
        for (byte[] slice : slices) {
            offsets.add(offset);
            offset = (offset + slice.length + 4095) / 4096 * 4096;
        }
        ByteBuffer b = ByteBuffer.allocate(offset).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xcafebabe).putInt(slices.length);
        for (int i = 0; i < slices.length; i++) {
            int cpu = ByteBuffer.wrap(slices[i], 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            b.putInt(cpu).putInt(0).putInt(offsets.get(i)).putInt(slices[i].length).putInt(12);
        }
        for (int i = 0; i < slices.length; i++) {
            b.put(offsets.get(i), slices[i]);
        }
        return b.array();
    }

    /** DOS header, PE signature, COFF header and the optional header's magic. */
    public static byte[] pe(int machine, boolean pe32Plus, boolean dll) {
        ByteBuffer b = le(0x80 + 24 + 0xF0);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, 0x80);
        b.position(0x80);
        b.put(new byte[] {'P', 'E', 0, 0}).putShort((short) machine).putShort((short) 0).putInt(0).putInt(0).putInt(0)
                .putShort((short) 0xF0).putShort((short) (dll ? 0x2022 : 0x0022)).putShort((short) (pe32Plus ? 0x20b : 0x10b));
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }
}
