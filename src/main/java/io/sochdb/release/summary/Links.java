package io.sochdb.release.summary;

import java.util.Locale;

/** Where people look for the results: built from configuration, so GitHub Enterprise and test fakes work too. */
public record Links(String githubWebUrl, String sochdbRepo, String sdkRepo, String pypiUrl) {

    /** GitHub's web host from its API base: api.github.com serves github.com, GHES serves {@code /api/v3}. */
    public static String webUrlOf(String apiUrl) {
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        if (base.toLowerCase(Locale.ROOT).equals("https://api.github.com")) {
            return "https://github.com";
        }
        return base.endsWith("/api/v3") ? base.substring(0, base.length() - "/api/v3".length()) : base;
    }

    public String upstreamRelease(String sochdbVersion) {
        return githubWebUrl + "/" + sochdbRepo + "/releases/tag/v" + sochdbVersion;
    }

    public String sdkRelease(String version) {
        return githubWebUrl + "/" + sdkRepo + "/releases/tag/v" + version;
    }

    public String pypiProject(String normalizedName, String version) {
        String base = pypiUrl.endsWith("/") ? pypiUrl.substring(0, pypiUrl.length() - 1) : pypiUrl;
        return base + "/project/" + normalizedName + "/" + version + "/";
    }
}
