package io.sochdb.release.compliance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sochdb.release.compliance.BinaryHeader.Elf;
import io.sochdb.release.compliance.BinaryHeader.MachO;
import io.sochdb.release.compliance.BinaryHeader.Pe;
import io.sochdb.release.compliance.BinaryHeader.Slice;
import io.sochdb.release.compliance.BinaryHeader.Unreadable;

/** Judges binaries against one concrete platform tag. */
final class TagCheck {

    /** e_machine, ELF class and byte order for each manylinux architecture. */
    private record ElfTarget(int machine, int elfClass, boolean littleEndian) {
    }

    private static final Map<String, ElfTarget> ELF_TARGETS = Map.of(
            "x86_64", new ElfTarget(62, 64, true),
            "aarch64", new ElfTarget(183, 64, true),
            "i686", new ElfTarget(3, 32, true),
            "armv7l", new ElfTarget(40, 32, true),
            "ppc64le", new ElfTarget(21, 64, true),
            "s390x", new ElfTarget(22, 64, false));

    private final ManylinuxPolicy policies;

    TagCheck(ManylinuxPolicy policies) {
        this.policies = policies;
    }

    /** @param bundled file names shipped in the wheel's lib/ folder, which binaries may need */
    List<Violation> check(PlatformTag tag, List<InspectedBinary> binaries, Set<String> bundled) {
        List<Violation> found = new ArrayList<>();
        for (InspectedBinary binary : binaries) {
            String file = binary.file();
            BinaryHeader header = binary.header();
            String expected = switch (tag.os()) {
                case LINUX -> "an ELF binary";
                case MACOS -> "a Mach-O binary";
                case WINDOWS -> "a PE binary";
            };
            if (header instanceof Unreadable u) {
                found.add(new Violation(file, file + " " + u.reason() + ", but the wheel is tagged " + tag.render()
                        + ", which needs " + expected));
            } else if (tag.os() == PlatformTag.Os.LINUX && header instanceof Elf elf) {
                elf(tag, file, elf, bundled, found);
            } else if (tag.os() == PlatformTag.Os.MACOS && header instanceof MachO macho) {
                macho(tag, file, macho, found);
            } else if (tag.os() == PlatformTag.Os.WINDOWS && header instanceof Pe pe) {
                pe(tag, file, pe, found);
            } else {
                found.add(new Violation(file, file + " is " + header.format() + ", but the wheel is tagged "
                        + tag.render() + ", which needs " + expected));
            }
        }
        return found;
    }

    private void elf(PlatformTag tag, String file, Elf elf, Set<String> bundled, List<Violation> found) {
        String tagName = tag.render();
        ElfTarget target = ELF_TARGETS.get(tag.arch());
        if (target == null) {
            found.add(new Violation(file, "the gate knows no ELF machine for the architecture of " + tagName));
            return;
        }
        if (elf.machine() != target.machine() || elf.elfClass() != target.elfClass()
                || elf.littleEndian() != target.littleEndian()) {
            found.add(new Violation(file, file + " is " + elf.format() + " for " + Findings.elfMachine(elf.machine())
                    + ", but the wheel is tagged " + tagName + ", which needs " + target.elfClass() + "-bit "
                    + (target.littleEndian() ? "LSB" : "MSB") + " " + tag.arch()));
            return;
        }
        Optional<ManylinuxPolicy.Policy> governing = policies.governing(tag.arch(), tag.version());
        if (governing.isEmpty()) {
            found.add(new Violation(file, "no manylinux policy for " + tag.arch() + " is as old as " + tagName));
            return;
        }
        ManylinuxPolicy.Policy policy = governing.get();
        versions(tag, file, elf, policy, found);
        for (String library : elf.needed()) {
            if (!policy.libraries().contains(library) && !policies.loaders(tag.arch()).contains(library)
                    && !bundled.contains(library)) {
                found.add(new Violation(file, file + " needs " + library + ", which the manylinux policy of " + tagName
                        + " does not allow and the wheel does not bundle in lib/"));
            }
        }
    }

    /** The highest version per constrained prefix decides; a non-numeric version must be named by the policy. */
    private static void versions(PlatformTag tag, String file, Elf elf, ManylinuxPolicy.Policy policy, List<Violation> found) {
        for (String prefix : ManylinuxPolicy.CONSTRAINED) {
            DottedVersion limit = prefix.equals("GLIBC") ? tag.version() : policy.maxVersions().get(prefix);
            DottedVersion highest = Findings.highest(elf, prefix);
            if (highest != null && limit != null && highest.compareTo(limit) > 0) {
                found.add(new Violation(file, file + " requires " + prefix + "_" + highest + " but the wheel is tagged "
                        + tag.render() + " (highest allowed: " + prefix + "_" + limit + ")"));
            }
            if (highest != null && limit == null) {
                found.add(new Violation(file, file + " requires " + prefix + "_" + highest + ", which the manylinux policy of "
                        + tag.render() + " does not allow at all"));
            }
        }
        for (String version : elf.versions()) {
            int cut = version.indexOf('_');
            String prefix = cut < 0 ? version : version.substring(0, cut);
            String rest = cut < 0 ? "" : version.substring(cut + 1);
            if (ManylinuxPolicy.CONSTRAINED.contains(prefix) && !DottedVersion.isNumeric(rest)
                    && !policy.named().contains(version)) {
                found.add(new Violation(file, file + " requires " + version + ", which the manylinux policy of "
                        + tag.render() + " does not allow"));
            }
        }
    }

    private static void macho(PlatformTag tag, String file, MachO macho, List<Violation> found) {
        List<String> wanted = tag.arch().equals("universal2") ? List.of("x86_64", "arm64") : List.of(tag.arch());
        DottedVersion allowed = tag.version();
        for (String arch : wanted) {
            Slice slice = macho.slices().stream().filter(s -> s.architecture().equals(arch)).findFirst().orElse(null);
            if (slice == null) {
                found.add(new Violation(file, file + " has no " + arch + " code (it holds "
                        + Findings.architectures(macho) + "), but the wheel is tagged " + tag.render()));
            } else if (slice.minimumOs() == null) {
                found.add(new Violation(file, file + " (" + arch + ") states no minimum macOS version (no LC_BUILD_VERSION"
                        + " or LC_VERSION_MIN_MACOSX), so it cannot be shown to fit " + tag.render()));
            } else if (slice.platform() != MachOReader.PLATFORM_MACOS) {
                found.add(new Violation(file, file + " (" + arch + ") is built for " + Findings.applePlatform(slice.platform())
                        + ", not macOS, but the wheel is tagged " + tag.render()));
            } else if (DottedVersion.parse(slice.minimumOs()).compareTo(allowed) > 0) {
                found.add(new Violation(file, file + " requires macOS " + slice.minimumOs() + " but the wheel is tagged "
                        + tag.render() + " (highest allowed: macOS " + allowed + ")"));
            }
        }
    }

    private static void pe(PlatformTag tag, String file, Pe pe, List<Violation> found) {
        int machine = switch (tag.arch()) {
            case "amd64" -> PeReader.AMD64;
            case "arm64" -> PeReader.ARM64;
            default -> PeReader.I386;
        };
        boolean wide = machine != PeReader.I386;
        if (pe.machine() != machine) {
            found.add(new Violation(file, file + " is a PE binary for " + PeReader.machine(pe.machine())
                    + ", but the wheel is tagged " + tag.render() + ", which needs " + PeReader.machine(machine)));
        } else if (pe.pe32Plus() != wide) {
            found.add(new Violation(file, file + " is " + pe.format() + ", but " + tag.render() + " needs "
                    + (wide ? "PE32+" : "PE32")));
        }
    }
}
