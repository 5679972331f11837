package io.sochdb.release.fakes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Repositories, releases, assets and refs. Callers hold this object's monitor while they read or change it; only
 * asset bytes are read outside it, and those never change once stored.
 */
final class FakeGitHubState {

    /** Above {@code Integer.MAX_VALUE}, as real ids are by now, so a client that parses ids as int fails here. */
    private static final long FIRST_ID = 3_000_000_001L;

    static final class Repo {
        final String name;
        final List<Release> releases = new ArrayList<>();
        final Map<String, String> refs = new LinkedHashMap<>();
        final Map<String, byte[]> tarballs = new LinkedHashMap<>();
        final RepoContents contents = new RepoContents();

        Repo(String name) {
            this.name = name;
        }

        Release byTag(String tag) {
            return releases.stream().filter(r -> r.tag.equals(tag)).findFirst().orElse(null);
        }

        /** A ref resolves as GitHub resolves it: a branch or tag name, or a full sha it knows. */
        String resolve(String ref) {
            String sha = refs.get(ref);
            if (sha == null && ref.startsWith("refs/")) {
                sha = refs.get(ref.replaceFirst("^refs/(heads|tags)/", ""));
            }
            return sha != null ? sha : tarballs.containsKey(ref) ? ref : null;
        }
    }

    static final class Release {
        final long id;
        final Repo repo;
        final Instant createdAt = now();
        final List<Asset> assets = new ArrayList<>();
        final List<Pending> pending = new ArrayList<>();
        String tag;
        String name;
        String body = "";
        String target = "main";
        String makeLatest = "true";
        boolean draft;
        boolean prerelease;
        Instant publishedAt;
        int reads;

        Release(long id, Repo repo, String tag) {
            this.id = id;
            this.repo = repo;
            this.tag = tag;
        }

        Asset asset(String assetName) {
            return assets.stream().filter(a -> a.name.equals(assetName)).findFirst().orElse(null);
        }
    }

    static final class Asset {
        final long id;
        final Release release;
        final Instant createdAt = now();
        String name;
        String label;
        String contentType = "application/octet-stream";
        String state = "uploaded";
        String digest;
        long size;
        byte[] bytes;
        Path file;

        Asset(long id, Release release, String name) {
            this.id = id;
            this.release = release;
            this.name = name;
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file)
                : new ByteArrayInputStream(bytes == null ? new byte[0] : bytes);
        }
    }

    record Pending(Asset asset, int afterReads) {
    }

    private final Path tempDir;
    private final Map<String, Repo> repos = new LinkedHashMap<>();
    private final Map<Long, Release> releases = new LinkedHashMap<>();
    private final Map<Long, Asset> assets = new LinkedHashMap<>();
    private long nextId = FIRST_ID;

    FakeGitHubState(Path tempDir) {
        this.tempDir = tempDir;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digestOf(MessageDigest md) {
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** Owner and name compare case-insensitively on GitHub. */
    synchronized Repo repo(String name) {
        return repos.get(name.toLowerCase(Locale.ROOT));
    }

    synchronized Repo addRepo(String name) {
        if (!name.matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("repo must be owner/name: " + name);
        }
        return repos.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new Repo(name));
    }

    /** Null when a release, draft or not, already has that tag. */
    synchronized Release createRelease(Repo repo, String tag) {
        if (repo.byTag(tag) != null) {
            return null;
        }
        Release release = new Release(nextId++, repo, tag);
        release.name = tag;
        repo.releases.add(release);
        releases.put(release.id, release);
        return release;
    }

    synchronized Release release(long id) {
        return releases.get(id);
    }

    synchronized Release release(Repo repo, long id) {
        Release release = releases.get(id);
        return release != null && release.repo == repo ? release : null;
    }

    synchronized Asset asset(long id) {
        return assets.get(id);
    }

    synchronized Asset asset(Repo repo, long id) {
        Asset asset = assets.get(id);
        return asset != null && asset.release.repo == repo ? asset : null;
    }

    /** Every response that shows a release counts as a read; scheduled assets appear once enough have happened. */
    synchronized void read(Release release) {
        release.reads++;
        for (Iterator<Pending> it = release.pending.iterator(); it.hasNext(); ) {
            Pending pending = it.next();
            if (release.reads > pending.afterReads() && release.asset(pending.asset().name) == null) {
                it.remove();
                release.assets.add(pending.asset());
                assets.put(pending.asset().id, pending.asset());
            }
        }
    }

    synchronized Asset newAsset(Release release, String name) {
        return new Asset(nextId++, release, name);
    }

    /** Null when the release already has an asset of that name, a stub included. */
    synchronized Asset attach(Asset asset) {
        if (asset.release.asset(asset.name) != null || releases.get(asset.release.id) != asset.release) {
            return null;
        }
        asset.release.assets.add(asset);
        assets.put(asset.id, asset);
        return asset;
    }

    synchronized void schedule(Asset asset, int afterReads) {
        asset.release.pending.add(new Pending(asset, afterReads));
    }

    synchronized void delete(Asset asset) {
        asset.release.assets.remove(asset);
        assets.remove(asset.id);
        deleteFile(asset.file);
    }

    synchronized void delete(Release release) {
        new ArrayList<>(release.assets).forEach(this::delete);
        release.pending.forEach(p -> deleteFile(p.asset().file));
        release.repo.releases.remove(release);
        releases.remove(release.id);
    }

    /** Fills in bytes, size and digest from a stream, spooling to a file so large content never sits in memory. */
    Asset store(Asset asset, InputStream in) throws IOException {
        Path file = Files.createTempFile(tempDir, "asset-", ".bin");
        MessageDigest md = sha256();
        try (var out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
            asset.size = size;
        } catch (IOException | RuntimeException e) {
            deleteFile(file);
            throw e;
        }
        asset.file = file;
        asset.digest = digestOf(md);
        return asset;
    }

    static Asset storeBytes(Asset asset, byte[] content) {
        asset.bytes = content.clone();
        asset.size = content.length;
        MessageDigest md = sha256();
        md.update(content);
        asset.digest = digestOf(md);
        return asset;
    }

    synchronized void clear() {
        new ArrayList<>(releases.values()).forEach(this::delete);
        repos.clear();
    }

    static void deleteFile(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
