package io.sochdb.release.github;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A release asset.
 *
 * @param state  {@code uploaded}, or {@code starter} for the empty stub a failed upload leaves behind
 * @param digest {@code sha256:<hex>}, or null on assets uploaded before GitHub started computing digests
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Asset(long id, String name, String label, String contentType, long size, String state, String digest,
        String browserDownloadUrl) {

    public boolean uploaded() {
        return "uploaded".equals(state);
    }

    /** The hex sha256 from {@link #digest}, or null when GitHub gave none. */
    public String sha256() {
        return digest != null && digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : null;
    }
}
