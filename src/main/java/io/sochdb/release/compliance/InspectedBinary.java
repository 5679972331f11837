package io.sochdb.release.compliance;

/** One file of a wheel as the gate sees it: its name (as configured, e.g. {@code sochdb-bulk}) and its headers. */
public record InspectedBinary(String file, BinaryHeader header) {
}
