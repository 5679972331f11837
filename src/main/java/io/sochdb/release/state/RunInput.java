package io.sochdb.release.state;

/** What a trigger asked for; a resumed run keeps the inputs of its first attempt. */
public record RunInput(String version, String sochdbVersion, boolean dryRun, String trigger) {
}
