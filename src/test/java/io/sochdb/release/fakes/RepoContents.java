package io.sochdb.release.fakes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Branches with their files, commits and pull requests of one fake repository. Each branch keeps its own copy of
 * the files, which is all a client of the contents API can observe of git's trees. Guarded by the state's monitor.
 */
final class RepoContents {

    static final class Branch {
        String head;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final List<String> commits = new ArrayList<>();

        Branch(String head) {
            this.head = head;
        }
    }

    static final class Pull {
        final long number;
        final String head;
        final String base;
        final String title;
        final String body;
        String state = "open";

        Pull(long number, String head, String base, String title, String body) {
            this.number = number;
            this.head = head;
            this.base = base;
            this.title = title;
            this.body = body;
        }
    }

    String defaultBranch = "main";
    final Map<String, Branch> branches = new LinkedHashMap<>();
    final List<Pull> pulls = new ArrayList<>();
    private int commitCounter;

    /** A branch, or the default branch seeded implicitly from a ref that a tarball seeding put in place. */
    Branch branch(String name, Map<String, String> refs) {
        Branch branch = branches.get(name);
        if (branch == null && name.equals(defaultBranch)) {
            branch = new Branch(refs.getOrDefault(name, nextSha("initial")));
            branches.put(name, branch);
        }
        return branch;
    }

    /** A new branch at {@code sha}, with the files of the branch whose head that is. */
    Branch createBranch(String name, String sha, Map<String, String> refs) {
        Branch from = branches.values().stream().filter(b -> b.head.equals(sha)).findFirst()
            .orElseGet(() -> sha.equals(refs.get(defaultBranch)) ? branch(defaultBranch, refs) : null);
        Branch branch = new Branch(sha);
        if (from != null) {
            from.files.forEach((path, bytes) -> branch.files.put(path, bytes.clone()));
        }
        branches.put(name, branch);
        return branch;
    }

    void commit(Branch branch, String path, byte[] content, String message) {
        branch.files.put(path, content.clone());
        branch.commits.add(message);
        branch.head = nextSha(message);
    }

    private String nextSha(String seed) {
        return sha1Hex(("commit " + (++commitCounter) + " " + seed).getBytes(StandardCharsets.UTF_8));
    }

    /** Git's blob id: sha1 of {@code "blob <size>\0" + content}. */
    static String blobSha(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return sha1Hex(all);
    }

    private static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
