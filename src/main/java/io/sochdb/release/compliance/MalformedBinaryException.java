package io.sochdb.release.compliance;

/** A header that cannot be what it claims; the readers turn it into an {@link BinaryHeader.Unreadable}. */
final class MalformedBinaryException extends RuntimeException {

    MalformedBinaryException(String message) {
        super(message, null, false, false);
    }
}
