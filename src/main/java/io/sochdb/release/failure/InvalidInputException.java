package io.sochdb.release.failure;

/**
 * Input that a person has to correct (a bad version string, an unreadable SDK source, an unknown option).
 * The command line maps it to exit code 2 and the HTTP triggers to 400; its message is the one-line reason.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
