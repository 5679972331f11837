package io.sochdb.release.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ElfReaderTest {

    @Test
    void readsThisMachinesProgramsAndLibraries() {
        for (Path file : List.of(HostBinaries.programs().get(0), HostBinaries.programs().get(1), HostBinaries.library())) {
            BinaryHeader header = HostBinaries.read(file);
            assertThat(header).as(file.toString()).isInstanceOf(BinaryHeader.Elf.class);
            BinaryHeader.Elf elf = (BinaryHeader.Elf) header;
            assertThat(elf.elfClass()).isEqualTo(64);
            assertThat(elf.littleEndian()).isTrue();
            assertThat(elf.machine()).isEqualTo(HostBinaries.machine());
            assertThat(elf.dynamic()).isTrue();
            assertThat(elf.needed()).as(file.toString()).contains("libc.so.6");
            assertThat(elf.versions()).as(file.toString()).anyMatch(v -> v.startsWith("GLIBC_2."));
        }
        for (Path program : HostBinaries.programs()) {
            // Built on a current distribution: newer than manylinux2014's glibc.
            assertThat(Findings.highest((BinaryHeader.Elf) HostBinaries.read(program), "GLIBC")).as(program.toString())
                    .isGreaterThan(DottedVersion.of(2, 17));
        }
        assertThat(((BinaryHeader.Elf) HostBinaries.read(HostBinaries.library())).type()).isEqualTo(3);
    }

    @Test
    void readsNeededLibrariesAndEveryVersionOfEveryFile() {
        byte[] elf = TestBinaries.elf(TestBinaries.EM_X86_64, List.of("libsochdb_storage.so", "libstdc++.so.6", "libc.so.6"),
                Map.of("libc.so.6", List.of("GLIBC_2.2.5", "GLIBC_2.39"), "libstdc++.so.6", List.of("GLIBCXX_3.4.30")));
        BinaryHeader.Elf header = (BinaryHeader.Elf) BinaryInspector.inspect(BinaryData.of(elf));

        assertThat(header.needed()).containsExactly("libsochdb_storage.so", "libstdc++.so.6", "libc.so.6");
        assertThat(header.versions()).containsExactlyInAnyOrder("GLIBC_2.2.5", "GLIBC_2.39", "GLIBCXX_3.4.30");
        assertThat(header.format()).isEqualTo("ELF 64-bit LSB shared object");
        assertThat(Findings.highest(header, "GLIBC")).isEqualTo(DottedVersion.of(2, 39));
    }

    @Test
    void aFileWithoutSectionsOrSegmentsIsStatic() {
        BinaryHeader.Elf header = (BinaryHeader.Elf) BinaryInspector.inspect(
                BinaryData.of(TestBinaries.staticElf(TestBinaries.EM_AARCH64, 2, 1)));

        assertThat(header.dynamic()).isFalse();
        assertThat(header.machine()).isEqualTo(TestBinaries.EM_AARCH64);
        assertThat(header.needed()).isEmpty();
    }

    @Test
    void objectFilesAndUnknownClassesAreRefused() {
        byte[] object = TestBinaries.staticElf(TestBinaries.EM_X86_64, 2, 1);
        object[16] = 1;
        assertThat(BinaryInspector.inspect(BinaryData.of(object))).isEqualTo(new BinaryHeader.Unreadable(
                "is a broken binary: ELF type 1 is not an executable or shared object (a relocatable object file)"));
        assertThat(BinaryInspector.inspect(BinaryData.of(TestBinaries.staticElf(TestBinaries.EM_X86_64, 3, 1))))
                .isEqualTo(new BinaryHeader.Unreadable("is a broken binary: ELF class 3 is neither 32- nor 64-bit"));
    }

    @Test
    void aDynamicFileWithoutSectionHeadersCannotBeChecked() {
        byte[] elf = new byte[64 + 56];
        System.arraycopy(TestBinaries.staticElf(TestBinaries.EM_X86_64, 2, 1), 0, elf, 0, 64);
        elf[32] = 64;                   // e_phoff
        elf[56] = 1;                    // e_phnum
        elf[64] = 3;                    // PT_INTERP
        assertThat(((BinaryHeader.Unreadable) BinaryInspector.inspect(BinaryData.of(elf))).reason())
                .contains("dynamically linked but has no section headers");
    }
}
