package io.sochdb.release.packaging;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.sochdb.release.failure.InvalidInputException;

/**
 * The one timestamp every archive entry carries, so that equal inputs give byte-identical wheels and sdists
 * (the reproducible-builds SOURCE_DATE_EPOCH convention).
 */
public record SourceDate(long epochSeconds) {

    /** 1980-01-01T00:00:00Z, the earliest time a zip entry can hold. */
    public static final long DEFAULT = 315532800L;

    public static SourceDate fromEnvironment(String sourceDateEpoch) {
        if (sourceDateEpoch == null || sourceDateEpoch.isBlank()) {
            return new SourceDate(DEFAULT);
        }
        try {
            long seconds = Long.parseLong(sourceDateEpoch.trim());
            // Zip cannot store earlier times; clamp the way the wheel package does.
            return new SourceDate(Math.max(seconds, DEFAULT));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("SOURCE_DATE_EPOCH must be whole seconds since 1970, got \"" + sourceDateEpoch + "\"");
        }
    }

    /** The UTC wall-clock fields that archive entries store. */
    public LocalDateTime utcDateTime() {
        return LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
    }

    public Instant instant() {
        return Instant.ofEpochSecond(epochSeconds);
    }
}
