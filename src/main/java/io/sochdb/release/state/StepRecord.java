package io.sochdb.release.state;

import java.time.Instant;

/** One step of a run as recorded: {@code state} is the lower-case name of ReleaseRun.State. */
public record StepRecord(String step, String state, String detail, Instant started, Instant finished) {
}
