package io.sochdb.release.archive;

/** An upstream archive that cannot be used: corrupt, truncated, unsafe or missing required files. */
public class BadArchiveException extends RuntimeException {

    public BadArchiveException(String message) {
        super(message);
    }

    public BadArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
