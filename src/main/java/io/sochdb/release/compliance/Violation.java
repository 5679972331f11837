package io.sochdb.release.compliance;

/** One reason a binary does not fit a tag; {@code message} names the file, what was found and what the tag needs. */
public record Violation(String file, String message) {
}
