package io.sochdb.release.fakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files, the filename log, tokens and knobs of a {@link FakePyPI}. Callers hold this object's monitor while they
 * read or change it; stored bytes are read outside it, and those never change once stored.
 */
final class FakePyPIState {

    private static final Pattern WHEEL = Pattern.compile(
        "^([^-]+)-([^-]+)(?:-(\\d[^-]*))?-([^-]+)-([^-]+)-([^-]+)\\.whl$");
    private static final Pattern SDIST = Pattern.compile("^(.+)-([^-]+)\\.(tar\\.gz|zip)$");

    /** What a distribution's file name says: PEP 427 for wheels, {@code name-version.tar.gz} for sdists. */
    record DistFile(String dist, String version, String packagetype, String python, List<String> platforms) {

        static DistFile parse(String filename) {
            Matcher wheel = WHEEL.matcher(filename);
            if (wheel.matches()) {
                return new DistFile(wheel.group(1), wheel.group(2), "bdist_wheel", wheel.group(4),
                    List.of(wheel.group(6).split("\\.")));
            }
            Matcher sdist = SDIST.matcher(filename);
            if (sdist.matches()) {
                return new DistFile(sdist.group(1), sdist.group(2), "sdist", "source", List.of());
            }
            return null;
        }
    }

    /** Bytes received and spooled to disk, with the digests PyPI reports. */
    record Spooled(Path path, long size, String sha256, String md5, String blake2b256) {
    }

    static final class StoredFile {
        final String filename;
        final String project;
        final String displayName;
        final String version;
        final String packagetype;
        final String pythonVersion;
        final String requiresPython;
        final Spooled content;
        final Instant uploadedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int hiddenReads;

        StoredFile(String filename, DistFile dist, String displayName, String requiresPython, Spooled content) {
            this.filename = filename;
            this.project = normalize(displayName);
            this.displayName = displayName;
            this.version = dist.version();
            this.packagetype = dist.packagetype();
            this.pythonVersion = dist.python();
            this.requiresPython = requiresPython == null || requiresPython.isBlank() ? null : requiresPython;
            this.content = content;
        }
    }

    /** A mint failure queued by the test. */
    record MintError(String code, String description) {
    }

    private final Path tempDir;
    final boolean privateIndex;
    final Map<String, StoredFile> files = new LinkedHashMap<>();
    final Set<String> usedFilenames = new HashSet<>();
    final Set<String> closedReleases = new HashSet<>();
    final Set<String> apiTokens = new HashSet<>();
    final Map<String, Boolean> mintedTokens = new LinkedHashMap<>();
    final Map<String, String> logins = new LinkedHashMap<>();
    final Set<String> idTokens = new HashSet<>();
    final Deque<MintError> mintErrors = new ArrayDeque<>();
    String idToken;
    String actionsRequestToken;
    int listingDelay;
    int serial;
    long maxFileSize = 100L * 1000 * 1000;
    int legacyRedirectStatus = 301;

    FakePyPIState(Path tempDir, boolean privateIndex) {
        this.tempDir = tempDir;
        this.privateIndex = privateIndex;
    }

    /** PEP 503: runs of -, _ and . become one -, all lower case. */
    static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    static String releaseKey(String project, String version) {
        return normalize(project) + " " + version;
    }

    /** Streams {@code in} to a new file under the fake's folder, hashing as it goes. */
    Spooled spool(InputStream in) throws IOException {
        Path file = Files.createTempFile(tempDir, "upload-", ".bin");
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        Blake2b blake = Blake2b.blake2b256();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha256.update(buf, 0, n);
                md5.update(buf, 0, n);
                blake.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
        } catch (IOException | RuntimeException e) {
            deleteFile(file);
            throw e;
        }
        HexFormat hex = HexFormat.of();
        return new Spooled(file, size, hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()),
            hex.formatHex(blake.digest()));
    }

    /** Takes over the spooled file; the file becomes visible to listings after the configured number of reads. */
    synchronized StoredFile store(String filename, DistFile dist, String displayName, String requiresPython,
                                  Spooled spooled) {
        Path target = tempDir.resolve("file-" + files.size() + "-" + Integer.toHexString(filename.hashCode()));
        try {
            Files.move(spooled.path(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Spooled kept = new Spooled(target, spooled.size(), spooled.sha256(), spooled.md5(), spooled.blake2b256());
        StoredFile stored = new StoredFile(filename, dist, displayName, requiresPython, kept);
        stored.hiddenReads = listingDelay;
        StoredFile old = files.put(filename, stored);
        if (old != null) {
            deleteFile(old.content.path());
        }
        usedFilenames.add(filename);
        serial++;
        return stored;
    }

    /**
     * The files of a project a listing shows, in upload order. Every listing read counts: files still hidden (CDN
     * lag, see {@link FakePyPI#delayListing}) are left out and come one read closer to showing.
     */
    synchronized List<StoredFile> list(String project) {
        List<StoredFile> shown = new ArrayList<>();
        for (StoredFile f : files.values()) {
            if (!f.project.equals(project)) {
                continue;
            }
            if (f.hiddenReads > 0) {
                f.hiddenReads--;
            } else {
                shown.add(f);
            }
        }
        return shown;
    }

    /** A file as if uploaded earlier: shown at once, named after the distribution in its file name. */
    void seed(String filename, InputStream in) throws IOException {
        seed(filename, in, 0);
    }

    /** As {@link #seed(String, InputStream)}, left out of the next {@code hiddenReads} listings of its project. */
    void seed(String filename, InputStream in, int hiddenReads) throws IOException {
        DistFile dist = DistFile.parse(filename);
        if (dist == null) {
            throw new IllegalArgumentException("not a wheel or sdist file name: " + filename);
        }
        Spooled spooled = spool(in);
        synchronized (this) {
            store(filename, dist, dist.dist(), null, spooled).hiddenReads = hiddenReads;
        }
    }

    synchronized Map<String, String> sha256s() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((name, f) -> out.put(name, f.content.sha256()));
        return out;
    }

    synchronized StoredFile file(String filename) {
        return files.get(filename);
    }

    synchronized boolean delete(String filename) {
        StoredFile f = files.remove(filename);
        if (f != null) {
            deleteFile(f.content.path());
        }
        return f != null;
    }

    /**
     * Null when {@code authorization} may upload; else the text of PyPI's 403. Warehouse takes API tokens only (user
     * {@code __token__}); a private index also takes the logins set up with {@link FakePyPI#acceptLogin}.
     */
    synchronized String authenticate(String user, String password) {
        if (user == null) {
            return FakePyPI.INVALID_AUTH;
        }
        if (!user.equals("__token__")) {
            if (privateIndex && password != null && password.equals(logins.get(user))) {
                return null;
            }
            return privateIndex ? FakePyPI.INVALID_AUTH : FakePyPI.PASSWORD_AUTH;
        }
        Boolean expired = mintedTokens.get(password);
        if (expired != null) {
            return expired ? "Invalid API Token: token is expired" : null;
        }
        return apiTokens.contains(password) ? null : FakePyPI.INVALID_AUTH;
    }

    /** True for any token this fake handed out or was told to accept: such a value must go to /legacy/ only. */
    synchronized boolean isSecret(String value) {
        return value != null && (apiTokens.contains(value) || mintedTokens.containsKey(value)
            || idTokens.contains(value) || value.equals(actionsRequestToken) || logins.containsValue(value));
    }

    synchronized void clear() {
        new ArrayList<>(files.keySet()).forEach(this::delete);
        usedFilenames.clear();
        closedReleases.clear();
        apiTokens.clear();
        mintedTokens.clear();
        logins.clear();
        idTokens.clear();
        mintErrors.clear();
        listingDelay = 0;
        maxFileSize = 100L * 1000 * 1000;
        legacyRedirectStatus = 301;
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
