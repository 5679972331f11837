package io.sochdb.release.github;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A GitHub release, as the REST API returns it (the fields this pipeline uses). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Release(long id, String tagName, String name, String body, boolean draft, boolean prerelease,
        String htmlUrl, List<Asset> assets) {

    public Release {
        assets = assets == null ? List.of() : List.copyOf(assets);
    }

    public Asset asset(String assetName) {
        return assets.stream().filter(a -> a.name().equals(assetName)).findFirst().orElse(null);
    }
}
