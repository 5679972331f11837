package io.sochdb.release.fakes;

import io.sochdb.release.fakes.FakeGitHubState.Repo;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Seeding and inspection of one fake repository's branches, files and pull requests. */
public final class FakeContents {

    /** A pull request as the test sees it. */
    public record PullRequest(long number, String head, String base, String title, String body, String state) {
    }

    private final FakeGitHubState state;
    private final Repo repo;

    FakeContents(FakeGitHubState state, Repo repo) {
        this.state = state;
        this.repo = repo;
    }

    public FakeContents defaultBranch(String name) {
        synchronized (state) {
            repo.contents.defaultBranch = name;
        }
        return this;
    }

    /** One commit on {@code branch} (created at the default branch's head when missing). */
    public FakeContents commit(String branch, String path, String text) {
        synchronized (state) {
            RepoContents.Branch b = repo.contents.branch(branch, repo.refs);
            if (b == null) {
                b = repo.contents.createBranch(branch, repo.contents.branch(repo.contents.defaultBranch, repo.refs).head,
                    repo.refs);
            }
            repo.contents.commit(b, path, text.getBytes(StandardCharsets.UTF_8), "seed " + path);
        }
        return this;
    }

    /** The file's text on a branch, or null. */
    public String file(String branch, String path) {
        synchronized (state) {
            RepoContents.Branch b = repo.contents.branches.get(branch);
            byte[] bytes = b == null ? null : b.files.get(path);
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    public List<String> branches() {
        synchronized (state) {
            return List.copyOf(repo.contents.branches.keySet());
        }
    }

    /** Commit messages on a branch since it was made, oldest first; empty for an unknown branch. */
    public List<String> commits(String branch) {
        synchronized (state) {
            RepoContents.Branch b = repo.contents.branches.get(branch);
            return b == null ? List.of() : List.copyOf(b.commits);
        }
    }

    public List<PullRequest> pullRequests() {
        synchronized (state) {
            return repo.contents.pulls.stream().map(p -> new PullRequest(p.number, p.head, p.base, p.title, p.body,
                p.state)).toList();
        }
    }

    /** As if someone merged the pull request: its branch's files land on its base. */
    public void merge(long number) {
        synchronized (state) {
            RepoContents.Pull pull = repo.contents.pulls.stream().filter(p -> p.number == number).findFirst()
                .orElseThrow();
            RepoContents.Branch head = repo.contents.branches.get(pull.head);
            RepoContents.Branch base = repo.contents.branch(pull.base, repo.refs);
            head.files.forEach((path, bytes) -> repo.contents.commit(base, path, bytes, "Merge #" + number));
            pull.state = "closed";
        }
    }
}
