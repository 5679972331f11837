package io.sochdb.release.packaging;

import java.util.Locale;
import java.util.regex.Pattern;

import io.sochdb.release.failure.InvalidInputException;

/** A distribution name as the core metadata specification allows it, with the forms PyPA tools derive from it. */
public record ProjectName(String value) {

    private static final Pattern VALID = Pattern.compile("^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", Pattern.CASE_INSENSITIVE);
    private static final Pattern RUNS = Pattern.compile("[-_.]+");

    public ProjectName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidInputException("invalid project name \"" + value
                    + "\": use ASCII letters, digits, '.', '_' and '-', starting and ending with a letter or digit");
        }
    }

    /** PEP 503 normal form, used by indexes and for comparisons: {@code Sochdb_Client} becomes {@code sochdb-client}. */
    public String normalized() {
        return RUNS.matcher(value).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** The escaped form used in wheel and sdist file names and the .dist-info folder (PEP 427, PEP 625). */
    public String filenameForm() {
        return RUNS.matcher(value).replaceAll("_").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
