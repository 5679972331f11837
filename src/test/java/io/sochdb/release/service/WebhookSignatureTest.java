package io.sochdb.release.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** X-Hub-Signature-256 as GitHub computes it, and every way a forged or broken header must fail. */
class WebhookSignatureTest {

    // GitHub's own example in "Validating webhook deliveries": if this fails, real deliveries fail too.
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String HEX = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final String HEADER = "sha256=" + HEX;

    private final WebhookSignature signature = new WebhookSignature(SECRET);

    @Test
    void githubsDocumentedTestVectorMatches() {
        assertThat(signature.matches(BODY, HEADER)).isTrue();
    }

    @Test
    void signsTheWayGitHubDoes() {
        // The ITs sign their requests with header(); it must produce exactly what GitHub sends.
        assertThat(signature.header(BODY)).isEqualTo(HEADER);
    }

    @Test
    void aDifferentSecretDoesNotMatch() {
        assertThat(new WebhookSignature("It's a secret to everybody").matches(BODY, HEADER)).isFalse();
    }

    @Test
    void anAlteredBodyDoesNotMatch() {
        assertThat(signature.matches("Hello, World!\n".getBytes(StandardCharsets.UTF_8), HEADER)).isFalse();
        assertThat(signature.matches("Hello, World?".getBytes(StandardCharsets.UTF_8), HEADER)).isFalse();
        assertThat(signature.matches(new byte[0], HEADER)).isFalse();
    }

    @Test
    void aMissingOrEmptyHeaderDoesNotMatch() {
        assertThat(signature.matches(BODY, null)).isFalse();
        assertThat(signature.matches(BODY, "")).isFalse();
        assertThat(signature.matches(BODY, "sha256=")).isFalse();
    }

    @Test
    void theLegacySha1HeaderIsNotAccepted() {
        // X-Hub-Signature (sha1=) is what an attacker would downgrade to; only sha256 counts.
        assertThat(signature.matches(BODY, "sha1=" + HEX)).isFalse();
        assertThat(signature.matches(BODY, "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")).isFalse();
        assertThat(signature.matches(BODY, HEX)).as("no prefix at all").isFalse();
    }

    @Test
    void nonHexDoesNotMatch() {
        assertThat(signature.matches(BODY, "sha256=" + HEX.replace('7', 'g'))).isFalse();
        assertThat(signature.matches(BODY, "sha256=not-a-signature")).isFalse();
    }

    @Test
    void aWrongLengthDoesNotMatch() {
        assertThat(signature.matches(BODY, "sha256=" + HEX.substring(0, 62))).as("one byte short").isFalse();
        assertThat(signature.matches(BODY, "sha256=" + HEX.substring(0, 63))).as("odd number of digits").isFalse();
        assertThat(signature.matches(BODY, "sha256=" + HEX + "00")).as("one byte long").isFalse();
        assertThat(signature.matches(BODY, "sha256=" + HEX.substring(0, 2))).as("a prefix of the digest").isFalse();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(signature.toString()).doesNotContain(SECRET).doesNotContain("Secret").doesNotContain("Everybody");
    }
}
