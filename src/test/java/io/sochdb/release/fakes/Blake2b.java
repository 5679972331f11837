package io.sochdb.release.fakes;

import java.util.HexFormat;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * BLAKE2b-256 as the fake index computes it, from BouncyCastle: an implementation independent of the client's own
 * (packaging/Blake2b256), so that a fault in one cannot hide behind the same fault in the other.
 */
final class Blake2b {

    private final Blake2bDigest digest = new Blake2bDigest(256);

    private Blake2b() {
    }

    static Blake2b blake2b256() {
        return new Blake2b();
    }

    static String hex256(byte[] data) {
        Blake2b b = blake2b256();
        b.update(data, 0, data.length);
        return HexFormat.of().formatHex(b.digest());
    }

    void update(byte[] data, int off, int len) {
        digest.update(data, off, len);
    }

    byte[] digest() {
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
