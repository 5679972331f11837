package io.sochdb.release.service;

/**
 * The body of {@code POST /releases}, read by camel-jackson with the strict mapper: unknown fields, repeated keys
 * and wrong types are refused, so a typo such as {@code dryRun} never turns a dry run into a production release.
 *
 * @param sochdbVersion optional; the same as {@code version} when absent
 * @param dryRun        optional; false when absent
 */
public record TriggerRequest(String version, String sochdbVersion, Boolean dryRun) {
}
