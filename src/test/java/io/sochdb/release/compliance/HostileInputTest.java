package io.sochdb.release.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Truncated, garbage and mutated headers: every one must end in a result, never an exception, an endless loop or
 * an internal error. Seeded, so a failure repeats.
 */
class HostileInputTest {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    private static List<byte[]> valid() {
        return List.of(
                TestBinaries.elf(TestBinaries.EM_X86_64, List.of("libc.so.6", "libm.so.6"),
                        Map.of("libc.so.6", List.of("GLIBC_2.2.5", "GLIBC_2.34"), "libm.so.6", List.of("GLIBC_2.29"))),
                TestBinaries.machO(TestBinaries.ARM64, 6, 11, 0),
                TestBinaries.fat(TestBinaries.machO(TestBinaries.X86_64, 2, 10, 15), TestBinaries.machO(TestBinaries.ARM64, 2, 11, 0)),
                TestBinaries.pe(0x8664, true, true));
    }

    @Test
    void everyTruncationOfTheStructuresReadIsAClearError() {
        // How much of each file the readers need: all of the ELF (section headers last), the Mach-O header and its
        // load commands, every slice of the fat file, the PE headers up to the optional header's magic.
        int[] needed = {valid().get(0).length, 32 + 24, valid().get(2).length - 4096 + 32 + 24, 0x80 + 26};
        for (int i = 0; i < valid().size(); i++) {
            byte[] file = valid().get(i);
            for (int length = 0; length < needed[i]; length++) {
                BinaryHeader header = BinaryInspector.inspect(BinaryData.of(Arrays.copyOf(file, length)));
                assertThat(header).as("file %d cut to %d bytes", i, length).isInstanceOf(BinaryHeader.Unreadable.class);
                assertThat(((BinaryHeader.Unreadable) header).reason()).doesNotContain("internal error");
            }
            assertThat(BinaryInspector.inspect(BinaryData.of(file))).as("file %d whole", i)
                    .isNotInstanceOf(BinaryHeader.Unreadable.class);
        }
    }

    @Test
    void garbageIsNotABinary() {
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 2000; n++) {
            byte[] garbage = new byte[random.nextInt(1, 4096)];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = (byte) random.nextInt(256);
            }
            BinaryHeader header = BinaryInspector.inspect(BinaryData.of(garbage));
            assertThat(header).isInstanceOf(BinaryHeader.Unreadable.class);
            assertThat(((BinaryHeader.Unreadable) header).reason()).doesNotContain("internal error");
        }
        assertThat(BinaryInspector.inspect(BinaryData.of("#!/bin/sh\necho hi\n".getBytes())))
                .isEqualTo(new BinaryHeader.Unreadable("is not an ELF, Mach-O or PE binary (it starts with #!, a script)"));
        assertThat(BinaryInspector.inspect(BinaryData.of(new byte[3])))
                .isEqualTo(new BinaryHeader.Unreadable("is 3 bytes long, too short for any binary"));
    }

    /** Random byte, word and length mutations of valid headers, biased towards the header bytes that steer the readers. */
    @Test
    void mutationsOfValidHeadersEndInBoundedTime() {
        assertTimeoutPreemptively(GENEROUS, () -> {
            SplittableRandom random = new SplittableRandom(20_251);
            List<byte[]> seeds = valid();
            int unreadable = 0;
            for (int n = 0; n < 30_000; n++) {
                byte[] file = seeds.get(n % seeds.size()).clone();
                int edits = random.nextInt(1, 6);
                for (int e = 0; e < edits; e++) {
                    int at = random.nextInt(10) < 7 ? random.nextInt(Math.min(file.length, 160)) : random.nextInt(file.length);
                    switch (random.nextInt(4)) {
                        case 0 -> file[at] = (byte) random.nextInt(256);
                        case 1 -> file[at] = (byte) 0xff;
                        case 2 -> file[at] ^= (byte) (1 << random.nextInt(8));
                        default -> file = Arrays.copyOf(file, Math.max(0, file.length - random.nextInt(64)));
                    }
                    if (file.length == 0) {
                        break;
                    }
                }
                BinaryHeader header = BinaryInspector.inspect(BinaryData.of(file));
                assertThat(header).isNotNull();
                if (header instanceof BinaryHeader.Unreadable u) {
                    unreadable++;
                    assertThat(u.reason()).as("mutation %d", n).doesNotContain("internal error").isNotBlank();
                }
            }
            // The loop must really reach the error paths, not only harmless bytes.
            assertThat(unreadable).isGreaterThan(3_000);
        });
    }
}
