package io.sochdb.release.compliance;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.sochdb.release.compliance.BinaryHeader.Elf;
import io.sochdb.release.compliance.BinaryHeader.MachO;
import io.sochdb.release.compliance.BinaryHeader.Slice;

/**
 * Decides a wheel's platform tag from its binaries: a configured tag must fit every binary; {@code auto} gets the
 * tightest tag that fits them all. Nothing is published from a wheel whose report did not pass.
 */
public final class ComplianceGate {

    private static final class Standard {
        static final ComplianceGate GATE = new ComplianceGate(ManylinuxPolicy.load());
    }

    private final ManylinuxPolicy policies;
    private final TagCheck check;

    public ComplianceGate(ManylinuxPolicy policies) {
        this.policies = policies;
        this.check = new TagCheck(policies);
    }

    /** The gate with the policy data shipped in the jar. */
    public static ComplianceGate standard() {
        return Standard.GATE;
    }

    /**
     * @param configuredTag a platform tag, or {@code auto}
     * @param bundled       file names of the libraries the wheel ships in lib/
     */
    public ComplianceReport decide(String triple, String configuredTag, List<InspectedBinary> binaries, Set<String> bundled) {
        if (PlatformTag.AUTO.equals(configuredTag)) {
            return PlatformTag.forTriple(triple).map(target -> auto(target, binaries, bundled))
                    .orElseGet(() -> refused(configuredTag, binaries, "tag auto cannot place the triple " + triple
                            + "; configure an explicit tag"));
        }
        return PlatformTag.parse(configuredTag).map(tag -> report(configuredTag, tag, "as configured", binaries, bundled))
                .orElseGet(() -> refused(configuredTag, binaries, "the compliance gate has no rules for the tag "
                        + configuredTag + "; use a manylinux_X_Y, macosx or win tag, or auto"));
    }

    private ComplianceReport report(String configured, PlatformTag tag, String reason, List<InspectedBinary> binaries,
            Set<String> bundled) {
        List<Violation> violations = check.check(tag, binaries, bundled);
        return new ComplianceReport(configured, tag.render(), reason, findings(binaries, violations), violations);
    }

    private ComplianceReport refused(String configured, List<InspectedBinary> binaries, String why) {
        List<Violation> violations = List.of(new Violation("", why));
        return new ComplianceReport(configured, null, why, findings(binaries, violations), violations);
    }

    private static List<BinaryFinding> findings(List<InspectedBinary> binaries, List<Violation> violations) {
        return binaries.stream().map(b -> Findings.of(b, violations)).toList();
    }

    private ComplianceReport auto(PlatformTag target, List<InspectedBinary> binaries, Set<String> bundled) {
        return switch (target.os()) {
            case LINUX -> autoLinux(target, binaries, bundled);
            case MACOS -> autoMac(target, binaries, bundled);
            case WINDOWS -> report(PlatformTag.AUTO, target, "Windows tags carry no version; the architecture ("
                    + target.arch() + ") comes from the triple", binaries, bundled);
        };
    }

    /**
     * Tries the needed glibc and every known policy above it, oldest first: the first tag every binary fits is the
     * tightest. A need no tag can meet (a foreign library, GLIBC_PRIVATE) fails all of them.
     */
    private ComplianceReport autoLinux(PlatformTag target, List<InspectedBinary> binaries, Set<String> bundled) {
        String arch = target.arch();
        if (policies.policies(arch).isEmpty()) {
            return refused(PlatformTag.AUTO, binaries, "no manylinux policy data for " + arch);
        }
        DottedVersion needed = null;
        String neededBy = null;
        for (InspectedBinary binary : binaries) {
            if (binary.header() instanceof Elf elf) {
                DottedVersion v = Findings.highest(elf, "GLIBC");
                if (v != null && (needed == null || v.compareTo(needed) > 0)) {
                    needed = v;
                    neededBy = binary.file();
                }
            }
        }
        DottedVersion oldest = policies.policies(arch).get(0).glibc();
        DottedVersion floor = needed == null || needed.compareTo(oldest) < 0 ? oldest : needed;
        TreeSet<DottedVersion> candidates = new TreeSet<>();
        candidates.add(DottedVersion.of(floor.part(0), floor.part(1)).compareTo(floor) < 0
                ? DottedVersion.of(floor.part(0), floor.part(1) + 1) : DottedVersion.of(floor.part(0), floor.part(1)));
        policies.policies(arch).stream().map(ManylinuxPolicy.Policy::glibc).filter(v -> v.compareTo(floor) >= 0)
                .forEach(candidates::add);
        ComplianceReport last = null;
        for (DottedVersion glibc : candidates) {
            PlatformTag tag = target.withVersion(glibc.part(0), glibc.part(1));
            String reason = linuxReason(tag, needed, neededBy, glibc.equals(candidates.first()));
            last = report(PlatformTag.AUTO, tag, reason, binaries, bundled);
            if (last.passed()) {
                return last;
            }
        }
        return new ComplianceReport(PlatformTag.AUTO, null, "no manylinux tag fits every binary", last.binaries(),
                last.violations());
    }

    private static String linuxReason(PlatformTag tag, DottedVersion needed, String neededBy, boolean tightest) {
        if (needed == null) {
            return "no binary needs a versioned glibc symbol; " + tag.render() + " is the oldest policy for " + tag.arch();
        }
        String base = "highest glibc symbol version needed: GLIBC_" + needed + " (" + neededBy + ")";
        return tightest ? base : base + "; " + tag.render() + " is the oldest tag from there that allows every other need";
    }

    /** From macOS 11 on, tags carry minor 0, so a binary for 11.3 needs macosx_12_0; arm64 starts at 11. */
    private ComplianceReport autoMac(PlatformTag target, List<InspectedBinary> binaries, Set<String> bundled) {
        List<String> arches = target.arch().equals("universal2") ? List.of("x86_64", "arm64") : List.of(target.arch());
        DottedVersion needed = null;
        String neededBy = null;
        for (InspectedBinary binary : binaries) {
            if (binary.header() instanceof MachO macho) {
                for (Slice slice : macho.slices()) {
                    if (arches.contains(slice.architecture()) && slice.minimumOs() != null) {
                        DottedVersion v = DottedVersion.parse(slice.minimumOs());
                        if (needed == null || v.compareTo(needed) > 0) {
                            needed = v;
                            neededBy = binary.file();
                        }
                    }
                }
            }
        }
        boolean arm = target.arch().equals("arm64");
        DottedVersion floor = DottedVersion.of(arm ? 11 : 10, arm ? 0 : 9);
        DottedVersion version = needed == null || needed.compareTo(floor) < 0 ? floor : needed;
        int major = version.part(0);
        int minor = version.part(1);
        if (major >= 11 && (minor > 0 || version.part(2) > 0)) {
            major++;
            minor = 0;
        } else if (major < 11 && version.part(2) > 0) {
            minor++;
        }
        PlatformTag tag = target.withVersion(major, minor);
        String reason = needed == null ? "no binary states a minimum macOS; " + tag.render() + " is the oldest tag for " + target.arch()
                : "highest minimum macOS of the " + String.join(" and ", arches) + " code: " + needed + " (" + neededBy + ")"
                        + (tag.version().equals(DottedVersion.of(needed.part(0), needed.part(1))) && needed.part(2) == 0
                                ? "" : "; the nearest tag at or above it is " + tag.render());
        return report(PlatformTag.AUTO, tag, reason, binaries, bundled);
    }
}
