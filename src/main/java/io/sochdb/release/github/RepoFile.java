package io.sochdb.release.github;

/**
 * A text file in a repository on one branch.
 *
 * @param sha the blob sha GitHub wants back to replace the file
 */
public record RepoFile(String path, String sha, String content) {
}
