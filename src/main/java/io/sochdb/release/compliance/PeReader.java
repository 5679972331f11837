package io.sochdb.release.compliance;

import java.nio.ByteOrder;

/** Reads the PE signature, the COFF machine type and the optional header's kind from a Windows executable or DLL. */
final class PeReader {

    static final int AMD64 = 0x8664;
    static final int ARM64 = 0xaa64;
    static final int I386 = 0x14c;
    private static final int PE32 = 0x10b;
    private static final int PE32_PLUS = 0x20b;
    private static final int EXECUTABLE_IMAGE = 0x0002;
    private static final int DLL = 0x2000;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private PeReader() {
    }

    static String machine(int machine) {
        return switch (machine) {
            case AMD64 -> "x86_64 (0x8664)";
            case ARM64 -> "arm64 (0xAA64)";
            case I386 -> "i386 (0x14C)";
            default -> String.format("machine 0x%X", machine);
        };
    }

    static BinaryHeader.Pe read(BinaryData data) {
        long peOffset = data.u32(0x3c, LE, "e_lfanew");
        byte[] signature = data.bytes(peOffset, 4, "PE signature");
        if (signature[0] != 'P' || signature[1] != 'E' || signature[2] != 0 || signature[3] != 0) {
            throw new MalformedBinaryException("DOS header points at offset " + peOffset + ", where no PE signature is");
        }
        int machine = data.u16(peOffset + 4, LE, "COFF machine");
        int optionalSize = data.u16(peOffset + 20, LE, "SizeOfOptionalHeader");
        int characteristics = data.u16(peOffset + 22, LE, "COFF characteristics");
        if ((characteristics & EXECUTABLE_IMAGE) == 0) {
            throw new MalformedBinaryException("PE file is not marked as an executable image");
        }
        if (optionalSize < 2) {
            throw new MalformedBinaryException("PE file has no optional header, so Windows cannot load it");
        }
        int magic = data.u16(peOffset + 24, LE, "optional header magic");
        if (magic != PE32 && magic != PE32_PLUS) {
            throw new MalformedBinaryException(String.format("PE optional header magic 0x%X is neither PE32 nor PE32+", magic));
        }
        return new BinaryHeader.Pe(machine, (characteristics & DLL) != 0, magic == PE32_PLUS);
    }
}
