package io.sochdb.release.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

class Blake2b256Test {

    @Test
    void knownVectors() {
        // hashlib.blake2b(b"", digest_size=32) and of b"abc"
        assertThat(hex(new byte[0], 7)).isEqualTo("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
        assertThat(hex("abc".getBytes(StandardCharsets.US_ASCII), 7))
            .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    }

    /** Block edges and any way of feeding the bytes give BouncyCastle's answer. */
    @Test
    void agreesWithBouncyCastleAtEveryBlockEdgeAndChunking() {
        SplittableRandom random = new SplittableRandom(9);
        for (int length : new int[] {1, 127, 128, 129, 255, 256, 257, 1000, 65_536, 100_003}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            Blake2bDigest reference = new Blake2bDigest(256);
            reference.update(data, 0, data.length);
            byte[] expected = new byte[32];
            reference.doFinal(expected, 0);
            for (int chunk : new int[] {1, 3, 127, 128, 129, 4096, length}) {
                assertThat(hex(data, chunk)).as(length + " bytes in chunks of " + chunk)
                    .isEqualTo(HexFormat.of().formatHex(expected));
            }
        }
    }

    private static String hex(byte[] data, int chunk) {
        Blake2b256 digest = new Blake2b256();
        for (int at = 0; at < data.length; at += chunk) {
            digest.update(data, at, Math.min(chunk, data.length - at));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
