package io.sochdb.release.github;

import io.sochdb.release.http.RemoteServiceException;

/** GitHub answered with an error; the message says what to fix and never holds a token. */
public class GitHubException extends RemoteServiceException {

    public GitHubException(int status, String message) {
        super(status, message, null);
    }

    public GitHubException(int status, String message, Throwable cause) {
        super(status, message, cause);
    }
}
