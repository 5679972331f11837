package io.sochdb.release.github;

/** A pull request as GitHub lists it; only what the CHANGELOG step needs. */
public record PullRequest(long number, String htmlUrl, String state) {
}
