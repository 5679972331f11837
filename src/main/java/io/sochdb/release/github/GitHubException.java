package io.sochdb.release.github;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.retry.Classified;

/** GitHub answered with an error; the message says what to fix and never holds a token. */
public class GitHubException extends ReleaseFailedException implements Classified {

    private final int status;

    public GitHubException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GitHubException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public boolean passing() {
        return Classified.passingStatus(status);
    }
}
