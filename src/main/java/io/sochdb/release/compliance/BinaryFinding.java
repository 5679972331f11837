package io.sochdb.release.compliance;

import java.util.List;

/**
 * What the summary shows for one binary.
 *
 * @param glibc     highest GLIBC_ version the binary needs, null when it needs none or is no ELF
 * @param minMacos  minimum macOS version per architecture ({@code 11.0}, or {@code arm64 11.0, x86_64 10.15}), null
 *                  when it is no Mach-O
 * @param problems  why it does not fit the wheel's tag; empty when it fits
 */
public record BinaryFinding(String file, String format, String architecture, String glibc, String minMacos,
        List<String> needed, List<String> problems) {

    public BinaryFinding {
        needed = List.copyOf(needed);
        problems = List.copyOf(problems);
    }
}
