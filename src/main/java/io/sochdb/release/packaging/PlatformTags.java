package io.sochdb.release.packaging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The platform tags PyPI accepts for binary wheels; anything else it refuses at upload time. */
public final class PlatformTags {

    private static final Pattern MANYLINUX =
            Pattern.compile("(many|musl)linux_(\\d+)_(\\d+)_(x86_64|aarch64|i686|ppc64le|s390x|armv7l)");
    private static final Pattern MACOS = Pattern.compile("macosx_(\\d+)_(\\d+)_(x86_64|arm64|universal2)");
    private static final Pattern WINDOWS = Pattern.compile("win_amd64|win_arm64|win32");

    private PlatformTags() {
    }

    /** Why PyPI would refuse the tag, or empty when it is fine. */
    public static Optional<String> problem(String tag) {
        Matcher mac = MACOS.matcher(tag);
        if (mac.matches()) {
            int major = Integer.parseInt(mac.group(1));
            if (major >= 11 && !mac.group(2).equals("0")) {
                return Optional.of("\"" + tag + "\" is not a valid macOS tag; from macOS 11 on the minor version must be 0"
                        + " (e.g. macosx_" + major + "_0_" + mac.group(3) + ")");
            }
            return Optional.empty();
        }
        if (MANYLINUX.matcher(tag).matches() || WINDOWS.matcher(tag).matches()) {
            return Optional.empty();
        }
        return Optional.of("\"" + tag + "\" is not a platform tag PyPI accepts (expected e.g. manylinux_2_17_x86_64, "
                + "macosx_11_0_arm64, win_amd64; plain linux_* tags are refused)");
    }
}
