package io.sochdb.release.packaging;

/** The long description and its media type, as {@code Description-Content-Type} wants it. */
public record Readme(String text, String contentType) {
}
