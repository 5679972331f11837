package io.sochdb.release.packaging;

/** An author or maintainer from {@code [project]}; either part may be null, not both. */
public record Person(String name, String email) {
}
