package io.sochdb.release.compliance;

import java.util.List;
import java.util.stream.Collectors;

import io.sochdb.release.compliance.BinaryHeader.Elf;
import io.sochdb.release.compliance.BinaryHeader.MachO;
import io.sochdb.release.compliance.BinaryHeader.Pe;
import io.sochdb.release.compliance.BinaryHeader.Unreadable;

/** Tag-independent facts about binaries, in the words the summary uses. */
final class Findings {

    private Findings() {
    }

    static BinaryFinding of(InspectedBinary binary, List<Violation> violations) {
        List<String> problems = violations.stream().filter(v -> v.file().equals(binary.file())).map(Violation::message)
                .toList();
        BinaryHeader header = binary.header();
        String file = binary.file();
        if (header instanceof Elf elf) {
            DottedVersion glibc = highest(elf, "GLIBC");
            return new BinaryFinding(file, elf.format(), elfMachine(elf.machine()), glibc == null ? null : glibc.toString(),
                    null, elf.needed(), problems);
        }
        if (header instanceof MachO macho) {
            String minimum = macho.slices().size() == 1 ? macho.slices().get(0).minimumOs()
                    : macho.slices().stream().map(s -> s.architecture() + " " + s.minimumOs()).collect(Collectors.joining(", "));
            return new BinaryFinding(file, macho.format(), architectures(macho), null, minimum, List.of(), problems);
        }
        if (header instanceof Pe pe) {
            return new BinaryFinding(file, pe.format(), PeReader.machine(pe.machine()), null, null, List.of(), problems);
        }
        return new BinaryFinding(file, ((Unreadable) header).format(), null, null, null, List.of(), problems);
    }

    /** The highest numeric {@code <prefix>_X.Y} the file needs, or null. */
    static DottedVersion highest(Elf elf, String prefix) {
        DottedVersion highest = null;
        for (String version : elf.versions()) {
            if (version.startsWith(prefix + "_")) {
                String rest = version.substring(prefix.length() + 1);
                if (DottedVersion.isNumeric(rest)) {
                    DottedVersion v = DottedVersion.parse(rest);
                    highest = highest == null || v.compareTo(highest) > 0 ? v : highest;
                }
            }
        }
        return highest;
    }

    static String elfMachine(int machine) {
        return switch (machine) {
            case 62 -> "x86_64";
            case 183 -> "aarch64";
            case 3 -> "i386";
            case 40 -> "arm";
            case 21 -> "ppc64";
            case 22 -> "s390";
            case 243 -> "riscv";
            default -> "machine " + machine;
        };
    }

    static String architectures(MachO macho) {
        return macho.slices().stream().map(BinaryHeader.Slice::architecture).collect(Collectors.joining(", "));
    }

    static String applePlatform(int platform) {
        return switch (platform) {
            case 2 -> "iOS";
            case 3 -> "tvOS";
            case 4 -> "watchOS";
            case 6 -> "Mac Catalyst";
            case 7 -> "the iOS simulator";
            default -> "Apple platform " + platform;
        };
    }
}
