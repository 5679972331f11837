package io.sochdb.release.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeReaderTest {

    @Test
    void readsMachineKindAndDllFlag() {
        assertThat(BinaryInspector.inspect(BinaryData.of(TestBinaries.pe(0x8664, true, true))))
                .isEqualTo(new BinaryHeader.Pe(0x8664, true, true));
        assertThat(BinaryInspector.inspect(BinaryData.of(TestBinaries.pe(0xAA64, true, false))))
                .isEqualTo(new BinaryHeader.Pe(0xAA64, false, true));
        assertThat(BinaryInspector.inspect(BinaryData.of(TestBinaries.pe(0x14C, false, false))).format())
                .isEqualTo("PE32 executable");
    }

    @Test
    void aDosHeaderWithoutPeSignatureIsRefused() {
        byte[] pe = TestBinaries.pe(0x8664, true, false);
        pe[0x81] = 'X';
        assertThat(((BinaryHeader.Unreadable) BinaryInspector.inspect(BinaryData.of(pe))).reason())
                .contains("where no PE signature is");
    }

    @Test
    void aPeSignatureOutsideTheFileIsRefused() {
        byte[] pe = TestBinaries.pe(0x8664, true, false);
        pe[0x3f] = 0x7f;                // e_lfanew far past the end
        assertThat(((BinaryHeader.Unreadable) BinaryInspector.inspect(BinaryData.of(pe))).reason())
                .contains("PE signature lies outside the file");
    }
}
