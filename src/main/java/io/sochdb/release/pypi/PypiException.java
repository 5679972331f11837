package io.sochdb.release.pypi;

import io.sochdb.release.http.RemoteServiceException;

/** The index refused or could not be reached; the message says what to fix and never holds a token. */
public class PypiException extends RemoteServiceException {

    public PypiException(int status, String message) {
        super(status, message, null);
    }

    public PypiException(int status, String message, Throwable cause) {
        super(status, message, cause);
    }
}
