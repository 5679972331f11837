package io.sochdb.release.service;

/**
 * Orders upstream (Rust, semver-style) versions for the poller's baseline: numeric parts compare as numbers, and a
 * version with a pre-release suffix comes before the same version without one ({@code 1.0.0-rc1 < 1.0.0}).
 */
final class UpstreamVersions {

    private UpstreamVersions() {
    }

    /** An upstream tag's version: {@code v0.3.2} and {@code V0.3.2} are 0.3.2. */
    static String withoutV(String tag) {
        return tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
    }

    static int compare(String a, String b) {
        String[] coreA = core(a).split("\\.");
        String[] coreB = core(b).split("\\.");
        for (int i = 0; i < Math.max(coreA.length, coreB.length); i++) {
            int cmp = Long.compare(number(coreA, i), number(coreB, i));
            if (cmp != 0) {
                return cmp;
            }
        }
        String preA = pre(a);
        String preB = pre(b);
        if (preA.isEmpty() || preB.isEmpty()) {
            return Boolean.compare(preA.isEmpty(), preB.isEmpty());
        }
        return preA.compareTo(preB);
    }

    private static String core(String version) {
        int dash = version.indexOf('-');
        String core = dash < 0 ? version : version.substring(0, dash);
        int plus = core.indexOf('+');
        return plus < 0 ? core : core.substring(0, plus);
    }

    private static String pre(String version) {
        int dash = version.indexOf('-');
        return dash < 0 ? "" : version.substring(dash + 1);
    }

    private static long number(String[] parts, int index) {
        if (index >= parts.length) {
            return 0;
        }
        String digits = parts[index].replaceAll("\\D.*$", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits.length() > 18 ? digits.substring(0, 18) : digits);
    }
}
