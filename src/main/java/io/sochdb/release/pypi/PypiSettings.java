package io.sochdb.release.pypi;

import java.time.Duration;

/**
 * How to reach the package index and prove who we are.
 *
 * @param repositoryUrl  the legacy upload endpoint, trailing slash kept
 * @param indexUrl       base for {@code /simple/}, {@code /pypi/.../json} and the OIDC endpoints
 * @param token          API token, or null for trusted publishing; never logged
 * @param actionsTokenUrl GitHub Actions' ID-token endpoint ({@code ACTIONS_ID_TOKEN_REQUEST_URL}), or null
 * @param actionsRequestToken the bearer for it ({@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}), or null; never logged
 * @param oidcTokenFile  a file holding an ID token (e.g. a projected Kubernetes service account token), or null
 * @param gceMetadataUrl the Google metadata server, or null when GKE workload identity is not used
 */
public record PypiSettings(String repositoryUrl, String indexUrl, String token, boolean uploadSdist, long maxFileSize,
        int maxAttempts, Duration initialBackoff, Duration verifyTimeout, String actionsTokenUrl,
        String actionsRequestToken, String oidcTokenFile, String gceMetadataUrl) {

    public PypiSettings {
        indexUrl = indexUrl.endsWith("/") ? indexUrl.substring(0, indexUrl.length() - 1) : indexUrl;
        token = blankToNull(token);
        actionsTokenUrl = blankToNull(actionsTokenUrl);
        actionsRequestToken = blankToNull(actionsRequestToken);
        oidcTokenFile = blankToNull(oidcTokenFile);
        gceMetadataUrl = blankToNull(gceMetadataUrl);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "PypiSettings[repositoryUrl=" + repositoryUrl + ", indexUrl=" + indexUrl + ", token="
                + (token == null ? "none" : "***") + "]";
    }
}
