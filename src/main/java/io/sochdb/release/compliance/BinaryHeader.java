package io.sochdb.release.compliance;

import java.util.List;

/** What the readers learned from one file's headers: enough to judge it against a platform tag. */
public sealed interface BinaryHeader {

    /** Short human description, e.g. {@code ELF 64-bit LSB shared object}. */
    String format();

    /**
     * @param elfClass    32 or 64
     * @param type        e_type: 2 executable, 3 shared object
     * @param needed      DT_NEEDED entries, in file order
     * @param versions    every version needed from other libraries (.gnu.version_r), e.g. {@code GLIBC_2.34}
     * @param dynamic     false for a static binary, which needs nothing from the system
     */
    record Elf(int elfClass, boolean littleEndian, int type, int machine, List<String> needed, List<String> versions,
            boolean dynamic) implements BinaryHeader {

        public Elf {
            needed = List.copyOf(needed);
            versions = List.copyOf(versions);
        }

        @Override
        public String format() {
            return "ELF " + elfClass + "-bit " + (littleEndian ? "LSB" : "MSB") + " "
                    + (type == 2 ? "executable" : "shared object") + (dynamic ? "" : ", static");
        }
    }

    /** One architecture of a Mach-O file; a thin file has exactly one. */
    record Slice(int cpuType, String architecture, String minimumOs, int platform) {
    }

    record MachO(boolean fat, int fileType, List<Slice> slices) implements BinaryHeader {

        public MachO {
            slices = List.copyOf(slices);
        }

        @Override
        public String format() {
            String kind = fileType == 2 ? "executable" : fileType == 6 ? "dynamic library" : "bundle";
            return "Mach-O " + (fat ? "universal " : "") + kind;
        }
    }

    /** @param pe32Plus the optional header is PE32+ (64-bit) */
    record Pe(int machine, boolean dll, boolean pe32Plus) implements BinaryHeader {

        @Override
        public String format() {
            return (pe32Plus ? "PE32+ " : "PE32 ") + (dll ? "DLL" : "executable");
        }
    }

    /** Not a binary of any kind we read, or one whose headers are broken; {@code reason} says which. */
    record Unreadable(String reason) implements BinaryHeader {

        @Override
        public String format() {
            return "not a binary";
        }
    }
}
