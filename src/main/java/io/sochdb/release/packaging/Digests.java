package io.sochdb.release.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digests that wheels, SHA256SUMS and PyPI ask for. */
public final class Digests {

    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The three digests PyPI's upload API takes, hex, from one read of the file. */
    public record FileDigests(String sha256, String md5, String blake2b256) {
    }

    public static FileDigests all(Path file) throws IOException {
        MessageDigest sha256 = sha256();
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
        Blake2b256 blake2b = new Blake2b256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
                md5.update(buffer, 0, n);
                blake2b.update(buffer, 0, n);
            }
        }
        byte[] blake = blake2b.digest();
        HexFormat hex = HexFormat.of();
        return new FileDigests(hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()), hex.formatHex(blake));
    }

    /** Hex sha256 of a file, read in a stream. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
