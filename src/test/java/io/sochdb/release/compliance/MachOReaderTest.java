package io.sochdb.release.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachOReaderTest {

    @Test
    void thinArm64LibraryWithBuildVersion() {
        BinaryHeader.MachO header = read(TestBinaries.machO(TestBinaries.ARM64, 6, 11, 0));

        assertThat(header.fat()).isFalse();
        assertThat(header.format()).isEqualTo("Mach-O dynamic library");
        assertThat(header.slices()).containsExactly(new BinaryHeader.Slice(TestBinaries.ARM64, "arm64", "11.0", 1));
    }

    @Test
    void fatFileListsEverySliceWithItsOwnMinimum() {
        BinaryHeader.MachO header = read(TestBinaries.fat(TestBinaries.machO(TestBinaries.X86_64, 2, 10, 15),
                TestBinaries.machO(TestBinaries.ARM64, 2, 13, 0)));

        assertThat(header.fat()).isTrue();
        assertThat(header.format()).isEqualTo("Mach-O universal executable");
        assertThat(header.slices()).extracting(BinaryHeader.Slice::architecture, BinaryHeader.Slice::minimumOs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x86_64", "10.15"),
                        org.assertj.core.groups.Tuple.tuple("arm64", "13.0"));
    }

    @Test
    void olderFilesStateTheirMinimumWithVersionMinMacosx() {
        BinaryHeader.MachO header = read(TestBinaries.machO(TestBinaries.X86_64, 2, 10, 12, 0, 0x24));

        assertThat(header.slices().get(0).minimumOs()).isEqualTo("10.12");
        assertThat(header.slices().get(0).platform()).isEqualTo(1);
    }

    @Test
    void aFileWithoutVersionCommandHasNoMinimum() {
        assertThat(read(TestBinaries.machO(TestBinaries.ARM64, 2, -1, 0)).slices().get(0).minimumOs()).isNull();
    }

    @Test
    void aFatSliceThatLiesAboutItsCpuIsRefused() {
        byte[] fat = TestBinaries.fat(TestBinaries.machO(TestBinaries.ARM64, 2, 11, 0));
        fat[11] = 7;                    // the fat_arch entry now claims x86_64
        fat[8] = 1;
        assertThat(((BinaryHeader.Unreadable) BinaryInspector.inspect(BinaryData.of(fat))).reason())
                .contains("says x86_64 but holds arm64");
    }

    @Test
    void objectFilesAreRefused() {
        assertThat(((BinaryHeader.Unreadable) BinaryInspector.inspect(BinaryData.of(
                TestBinaries.machO(TestBinaries.ARM64, 1, 11, 0)))).reason()).contains("(an object file)");
    }

    @Test
    void packedVersionsReadAsAppleWritesThem() {
        assertThat(MachOReader.version(0x000B0300)).isEqualTo("11.3");
        assertThat(MachOReader.version(0x000A0F04)).isEqualTo("10.15.4");
    }

    private static BinaryHeader.MachO read(byte[] bytes) {
        BinaryHeader header = BinaryInspector.inspect(BinaryData.of(bytes));
        assertThat(header).isInstanceOf(BinaryHeader.MachO.class);
        return (BinaryHeader.MachO) header;
    }
}
