package io.sochdb.release.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ComplianceGateTest {

    private static final String LINUX = "x86_64-unknown-linux-gnu";
    private static final String MAC = "aarch64-apple-darwin";
    private static final String WINDOWS = "x86_64-pc-windows-msvc";
    private static final String INTEL_MAC = "x86_64-apple-darwin";
    private static final String ARM_LINUX = "aarch64-unknown-linux-gnu";
    private final ComplianceGate gate = ComplianceGate.standard();

    private static InspectedBinary binary(String name, byte[] bytes) {
        return new InspectedBinary(name, BinaryInspector.inspect(BinaryData.of(bytes)));
    }

    private static List<InspectedBinary> hostBinaries() {
        List<InspectedBinary> binaries = new ArrayList<>();
        for (Path program : HostBinaries.programs()) {
            binaries.add(new InspectedBinary(program.getFileName().toString(), HostBinaries.read(program)));
        }
        binaries.add(new InspectedBinary("libz.so.1", HostBinaries.read(HostBinaries.library())));
        return binaries;
    }

    private static List<String> messages(ComplianceReport report) {
        return report.violations().stream().map(Violation::message).toList();
    }

    @Test
    void thisMachinesBinariesFailManylinux2014AndAutoFindsTheirTightTag() {
        String arch = HostBinaries.arch();
        ComplianceReport strict = gate.decide(HostBinaries.triple(), "manylinux_2_17_" + arch, hostBinaries(), Set.of());

        assertThat(strict.passed()).isFalse();
        Pattern pattern = Pattern.compile("cat requires GLIBC_(2\\.(\\d+)) but the wheel is tagged manylinux_2_17_" + arch
                + " \\(highest allowed: GLIBC_2\\.17\\)");
        Matcher cat = messages(strict).stream().map(pattern::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("no GLIBC message for cat in " + messages(strict)));
        assertThat(Integer.parseInt(cat.group(2))).isGreaterThan(17);

        ComplianceReport auto = gate.decide(HostBinaries.triple(), "auto", hostBinaries(), Set.of());
        assertThat(auto.passed()).as(messages(auto).toString()).isTrue();
        String highest = auto.binaries().stream().map(BinaryFinding::glibc).max(
                (a, b) -> DottedVersion.parse(a).compareTo(DottedVersion.parse(b))).orElseThrow();
        assertThat(DottedVersion.parse(highest)).isGreaterThanOrEqualTo(DottedVersion.parse(cat.group(1)));
        assertThat(auto.tag()).isEqualTo("manylinux_" + highest.replace('.', '_') + "_" + arch);
        assertThat(auto.reason()).contains("GLIBC_" + highest);
        assertThat(auto.configuredTag()).isEqualTo("auto");

        // Tight: one glibc minor less and the same binaries no longer fit.
        int minor = DottedVersion.parse(highest).part(1);
        assertThat(gate.decide(HostBinaries.triple(), "manylinux_2_" + (minor - 1) + "_" + arch, hostBinaries(), Set.of())
                .passed()).isFalse();
        assertThat(gate.decide(HostBinaries.triple(), auto.tag(), hostBinaries(), Set.of()).passed()).isTrue();
    }

    @Test
    void aTooNewGlibcIsNamedWithTheWheelTagAndTheLimit() {
        ComplianceReport report = gate.decide(LINUX, "manylinux_2_17_x86_64",
                List.of(binary("sochdb-bulk", TestBinaries.elfNeedingGlibc("2.2.5", "2.39", "2.17"))), Set.of());

        assertThat(messages(report)).containsExactly(
                "sochdb-bulk requires GLIBC_2.39 but the wheel is tagged manylinux_2_17_x86_64 (highest allowed: GLIBC_2.17)");
        assertThat(report.binaries().get(0).glibc()).isEqualTo("2.39");
        assertThat(report.binaries().get(0).problems()).hasSize(1);
    }

    @Test
    void autoPicksTheTagOfTheNeededGlibcEvenBetweenPolicies() {
        ComplianceReport report = gate.decide(LINUX, "auto", List.of(binary("a", TestBinaries.elfNeedingGlibc("2.39")),
                binary("b", TestBinaries.elfNeedingGlibc("2.32"))), Set.of());
        assertThat(report.tag()).isEqualTo("manylinux_2_39_x86_64");
        assertThat(report.reason()).isEqualTo("highest glibc symbol version needed: GLIBC_2.39 (a)");

        assertThat(gate.decide(LINUX, "auto", List.of(binary("b", TestBinaries.elfNeedingGlibc("2.32"))), Set.of()).tag())
                .isEqualTo("manylinux_2_32_x86_64");
    }

    @Test
    void libstdcxxNeedsAreHeldToThePolicyAndCanRaiseTheAutoTag() {
        byte[] elf = TestBinaries.elf(TestBinaries.EM_X86_64, List.of("libstdc++.so.6", "libc.so.6"),
                Map.of("libc.so.6", List.of("GLIBC_2.17"), "libstdc++.so.6", List.of("GLIBCXX_3.4.30", "CXXABI_1.3.13")));
        ComplianceReport strict = gate.decide(LINUX, "manylinux_2_17_x86_64", List.of(binary("libx.so", elf)), Set.of());
        assertThat(messages(strict)).containsExactly(
                "libx.so requires GLIBCXX_3.4.30 but the wheel is tagged manylinux_2_17_x86_64 (highest allowed: GLIBCXX_3.4.19)",
                "libx.so requires CXXABI_1.3.13 but the wheel is tagged manylinux_2_17_x86_64 (highest allowed: CXXABI_1.3.7)");

        ComplianceReport auto = gate.decide(LINUX, "auto", List.of(binary("libx.so", elf)), Set.of());
        assertThat(auto.tag()).isEqualTo("manylinux_2_35_x86_64");
        assertThat(auto.reason()).contains("GLIBC_2.17").contains("manylinux_2_35_x86_64 is the oldest tag");
    }

    @Test
    void librariesOutsideThePolicyFailUnlessTheWheelBundlesThem() {
        byte[] elf = TestBinaries.elf(TestBinaries.EM_X86_64, List.of("libsochdb_storage.so", "libselinux.so.1"),
                Map.of("libc.so.6", List.of("GLIBC_2.17")));
        ComplianceReport report = gate.decide(LINUX, "auto", List.of(binary("sochdb-bulk", elf)),
                Set.of("libsochdb_storage.so"));

        assertThat(report.passed()).isFalse();
        assertThat(report.tag()).isNull();
        assertThat(messages(report)).hasSize(1).allMatch(m -> m.startsWith("sochdb-bulk needs libselinux.so.1, which the"
                + " manylinux policy of ") && m.endsWith(" does not allow and the wheel does not bundle in lib/"));
    }

    @Test
    void privateGlibcVersionsFitNoTag() {
        byte[] elf = TestBinaries.elf(TestBinaries.EM_X86_64, List.of("ld-linux-x86-64.so.2"),
                Map.of("ld-linux-x86-64.so.2", List.of("GLIBC_2.3", "GLIBC_PRIVATE")));
        ComplianceReport report = gate.decide(LINUX, "auto", List.of(binary("libc-like.so", elf)), Set.of());

        assertThat(report.passed()).isFalse();
        assertThat(messages(report)).anyMatch(m -> m.startsWith("libc-like.so requires GLIBC_PRIVATE"));
    }

    @Test
    void wrongArchitectureAndWrongKindAreCaught() {
        List<InspectedBinary> binaries = List.of(
                binary("arm-tool", TestBinaries.elf(TestBinaries.EM_AARCH64, List.of("libc.so.6"), Map.of())),
                binary("script", "#!/bin/sh\necho hi\n".getBytes()),
                binary("dylib", TestBinaries.machO(TestBinaries.X86_64, 6, 10, 15)));
        ComplianceReport report = gate.decide(LINUX, "manylinux_2_17_x86_64", binaries, Set.of());

        assertThat(messages(report)).containsExactly(
                "arm-tool is ELF 64-bit LSB shared object for aarch64, but the wheel is tagged manylinux_2_17_x86_64, which"
                        + " needs 64-bit LSB x86_64",
                "script is not an ELF, Mach-O or PE binary (it starts with #!, a script), but the wheel is tagged"
                        + " manylinux_2_17_x86_64, which needs an ELF binary",
                "dylib is Mach-O dynamic library, but the wheel is tagged manylinux_2_17_x86_64, which needs an ELF binary");
    }

    @Test
    void macosMinimumAndArchitectureAreCheckedPerSlice() {
        ComplianceReport tooNew = gate.decide(MAC, "macosx_11_0_arm64",
                List.of(binary("sochdb-bulk", TestBinaries.machO(TestBinaries.ARM64, 2, 13, 0))), Set.of());
        assertThat(messages(tooNew)).containsExactly(
                "sochdb-bulk requires macOS 13.0 but the wheel is tagged macosx_11_0_arm64 (highest allowed: macOS 11.0)");

        ComplianceReport intel = gate.decide(MAC, "macosx_11_0_arm64",
                List.of(binary("libx.dylib", TestBinaries.machO(TestBinaries.X86_64, 6, 10, 15))), Set.of());
        assertThat(messages(intel)).containsExactly(
                "libx.dylib has no arm64 code (it holds x86_64), but the wheel is tagged macosx_11_0_arm64");

        byte[] universal = TestBinaries.fat(TestBinaries.machO(TestBinaries.X86_64, 2, 13, 0),
                TestBinaries.machO(TestBinaries.ARM64, 2, 11, 0));
        assertThat(gate.decide(MAC, "macosx_11_0_arm64", List.of(binary("fat", universal)), Set.of()).passed()).isTrue();
        assertThat(messages(gate.decide(MAC, "macosx_11_0_universal2", List.of(binary("fat", universal)), Set.of())))
                .containsExactly("fat requires macOS 13.0 but the wheel is tagged macosx_11_0_universal2 (highest allowed: macOS 11.0)");

        ComplianceReport none = gate.decide(MAC, "macosx_11_0_arm64",
                List.of(binary("old", TestBinaries.machO(TestBinaries.ARM64, 2, -1, 0))), Set.of());
        assertThat(messages(none)).allMatch(m -> m.contains("states no minimum macOS version"));

        ComplianceReport ios = gate.decide(MAC, "macosx_11_0_arm64",
                List.of(binary("app", TestBinaries.machO(TestBinaries.ARM64, 2, 11, 0, 2, 0x32))), Set.of());
        assertThat(messages(ios)).containsExactly("app (arm64) is built for iOS, not macOS, but the wheel is tagged macosx_11_0_arm64");
    }

    @Test
    void autoOnMacosRoundsUpToATagPipKnows() {
        assertThat(gate.decide(MAC, "auto", List.of(binary("a", TestBinaries.machO(TestBinaries.ARM64, 2, 13, 0)),
                binary("b", TestBinaries.machO(TestBinaries.ARM64, 6, 11, 0))), Set.of()))
                .satisfies(r -> {
                    assertThat(r.tag()).isEqualTo("macosx_13_0_arm64");
                    assertThat(r.reason()).isEqualTo("highest minimum macOS of the arm64 code: 13.0 (a)");
                });
        assertThat(gate.decide(MAC, "auto", List.of(binary("a", TestBinaries.machO(TestBinaries.ARM64, 2, 11, 3))), Set.of())
                .tag()).isEqualTo("macosx_12_0_arm64");
        assertThat(gate.decide("x86_64-apple-darwin", "auto",
                List.of(binary("a", TestBinaries.machO(TestBinaries.X86_64, 2, 10, 15))), Set.of()).tag())
                .isEqualTo("macosx_10_15_x86_64");
    }

    @Test
    void windowsMachineMustMatchTheTag() {
        ComplianceReport x86 = gate.decide(WINDOWS, "win_amd64",
                List.of(binary("sochdb-bulk.exe", TestBinaries.pe(0x14C, false, false))), Set.of());
        assertThat(messages(x86)).containsExactly("sochdb-bulk.exe is a PE binary for i386 (0x14C), but the wheel is tagged"
                + " win_amd64, which needs x86_64 (0x8664)");
        assertThat(messages(gate.decide(WINDOWS, "win_arm64",
                List.of(binary("a.dll", TestBinaries.pe(0x8664, true, true))), Set.of())))
                .containsExactly("a.dll is a PE binary for x86_64 (0x8664), but the wheel is tagged win_arm64, which needs arm64 (0xAA64)");
        ComplianceReport auto = gate.decide(WINDOWS, "auto", List.of(binary("a.dll", TestBinaries.pe(0x8664, true, true))), Set.of());
        assertThat(auto.tag()).isEqualTo("win_amd64");
        assertThat(auto.passed()).isTrue();
    }

    @Test
    void tagsWithoutRulesAreRefusedRatherThanWavedThrough() {
        ComplianceReport musl = gate.decide("x86_64-unknown-linux-musl", "musllinux_1_2_x86_64",
                List.of(binary("a", TestBinaries.staticElf(TestBinaries.EM_X86_64, 2, 1))), Set.of());
        assertThat(musl.passed()).isFalse();
        assertThat(messages(musl)).containsExactly("the compliance gate has no rules for the tag musllinux_1_2_x86_64;"
                + " use a manylinux_X_Y, macosx or win tag, or auto");
    }

    @Test
    void aStaticProgramFitsTheOldestPolicy() {
        ComplianceReport report = gate.decide(LINUX, "auto",
                List.of(binary("a", TestBinaries.staticElf(TestBinaries.EM_X86_64, 2, 1))), Set.of());
        assertThat(report.tag()).isEqualTo("manylinux_2_5_x86_64");
        assertThat(report.reason()).startsWith("no binary needs a versioned glibc symbol");
    }

    /**
     * Upstream builds x86_64-apple-darwin without MACOSX_DEPLOYMENT_TARGET, so rustc's default applies: macOS 10.12
     * (rustc book, platform-support/apple-darwin: "The minimum supported version is macOS 10.12 Sierra on x86").
     * Binaries linked that way carry minos 10.12 in LC_BUILD_VERSION, whatever SDK the runner had.
     */
    @Test
    void intelMacBinariesLinkedWithRustsDefaultTargetFitMacosx1012() {
        List<InspectedBinary> rustDefault = List.of(
                binary("sochdb-bulk", TestBinaries.linkedMachO(TestBinaries.X86_64, 2, 10, 12, 14)),
                binary("sochdb-server", TestBinaries.linkedMachO(TestBinaries.X86_64, 2, 10, 12, 14)),
                binary("libsochdb_storage.dylib", TestBinaries.linkedMachO(TestBinaries.X86_64, 6, 10, 12, 14)));

        ComplianceReport configured = gate.decide(INTEL_MAC, "macosx_10_12_x86_64", rustDefault, Set.of());
        assertThat(configured.passed()).as(messages(configured).toString()).isTrue();
        assertThat(configured.binaries()).extracting(BinaryFinding::minMacos).containsOnly("10.12");
        assertThat(configured.binaries()).extracting(BinaryFinding::architecture).containsOnly("x86_64");

        ComplianceReport auto = gate.decide(INTEL_MAC, "auto", rustDefault, Set.of());
        assertThat(auto.tag()).isEqualTo("macosx_10_12_x86_64");

        // A C dependency built for the runner's own macOS raises the minimum; the tag must not claim 10.12 then.
        List<InspectedBinary> raised = List.of(rustDefault.get(0),
                binary("libsochdb_index.dylib", TestBinaries.linkedMachO(TestBinaries.X86_64, 6, 13, 0, 14)));
        assertThat(messages(gate.decide(INTEL_MAC, "macosx_10_12_x86_64", raised, Set.of()))).containsExactly(
                "libsochdb_index.dylib requires macOS 13.0 but the wheel is tagged macosx_10_12_x86_64"
                        + " (highest allowed: macOS 10.12)");
        // An Apple-silicon file in the Intel archive is caught too.
        assertThat(messages(gate.decide(INTEL_MAC, "macosx_10_12_x86_64",
                List.of(binary("sochdb-bulk", TestBinaries.linkedMachO(TestBinaries.ARM64, 2, 11, 0, 14))), Set.of())))
                .containsExactly("sochdb-bulk has no x86_64 code (it holds arm64), but the wheel is tagged macosx_10_12_x86_64");
    }

    @Test
    void aarch64LinuxBinariesAreHeldToManylinux2014ForArm() {
        List<InspectedBinary> fits = List.of(binary("libsochdb_storage.so", TestBinaries.elf(TestBinaries.EM_AARCH64,
                List.of("libc.so.6", "libm.so.6"), Map.of("libc.so.6", List.of("GLIBC_2.17")))));
        ComplianceReport report = gate.decide(ARM_LINUX, "manylinux_2_17_aarch64", fits, Set.of());
        assertThat(report.passed()).as(messages(report).toString()).isTrue();
        assertThat(report.binaries().get(0).architecture()).isEqualTo("aarch64");

        assertThat(messages(gate.decide(ARM_LINUX, "manylinux_2_17_aarch64", List.of(binary("sochdb-bulk",
                TestBinaries.elf(TestBinaries.EM_AARCH64, List.of("libc.so.6"), Map.of("libc.so.6", List.of("GLIBC_2.34"))))),
                Set.of()))).containsExactly("sochdb-bulk requires GLIBC_2.34 but the wheel is tagged manylinux_2_17_aarch64"
                        + " (highest allowed: GLIBC_2.17)");
        assertThat(messages(gate.decide(ARM_LINUX, "manylinux_2_17_aarch64",
                List.of(binary("sochdb-bulk", TestBinaries.elfNeedingGlibc("2.17"))), Set.of())))
                .singleElement().asString().contains("but the wheel is tagged manylinux_2_17_aarch64");
    }
}
