package io.sochdb.release.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.pipeline.ReleasePlanner;
import io.sochdb.release.run.ReleaseRequest;

/**
 * Parses the command line before Camel sees it: Camel Main refuses arguments it does not know.
 * {@code --name value} and {@code --name=value} are both accepted; each option at most once. Versions may be
 * written as tags ({@code v0.3.2}): the leading v is dropped, as the webhook drops it from upstream tags.
 */
public final class CommandLine {

    public sealed interface Command permits Help, Service, Release {
    }

    public record Help() implements Command {
    }

    public record Service() implements Command {
    }

    public record Release(ReleaseRequest request) implements Command {
    }

    public static final String USAGE = """
            Usage:
              java -jar sochdb-release.jar                    run the service (webhook, manual trigger, poller, status)
              java -jar sochdb-release.jar release --version V [--sochdb-version S] [--dry-run]
                       [--dist DIR] [--archives DIR] [--sdk-source DIR] [--replace-assets]
              java -jar sochdb-release.jar --help

            release options:
              --version V         SDK version to release (PEP 440, e.g. 0.3.2 or 1.0.0rc1)
              --sochdb-version S  upstream sochdb release whose binaries are packaged (default: V)
              --dry-run           build and check everything, publish nothing
              --dist DIR          output folder (default: DIST_DIR or ./dist)
              --archives DIR      take the upstream archives from DIR instead of downloading them
              --sdk-source DIR    the SDK source tree (the folder holding pyproject.toml)
              --replace-assets    replace GitHub release assets whose content differs instead of stopping

            Exit codes: 0 success, 1 the release failed, 2 bad usage or invalid input.
            """;

    private CommandLine() {
    }

    public static Command parse(List<String> args, String defaultDist) {
        if (args.isEmpty()) {
            return new Service();
        }
        Deque<String> rest = new ArrayDeque<>(args);
        String first = rest.removeFirst();
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            return new Help();
        }
        if (!first.equals("release")) {
            throw new InvalidInputException("unknown command or option \"" + first + "\" (see --help)");
        }
        String version = null;
        String sochdbVersion = null;
        boolean dryRun = false;
        boolean replaceAssets = false;
        Path dist = Path.of(defaultDist);
        Path archives = null;
        Path sdkSource = null;
        Set<String> given = new HashSet<>();
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            // A second value would silently win over the first; which one the user meant is theirs to say.
            if (name.startsWith("--") && !name.equals("--help") && !given.add(name)) {
                throw new InvalidInputException(name + " is given more than once; give it once (see --help)");
            }
            switch (name) {
                case "--help", "-h" -> {
                    return new Help();
                }
                case "--dry-run" -> {
                    if (inline != null) {
                        throw new InvalidInputException("--dry-run takes no value");
                    }
                    dryRun = true;
                }
                case "--replace-assets" -> {
                    if (inline != null) {
                        throw new InvalidInputException("--replace-assets takes no value");
                    }
                    replaceAssets = true;
                }
                case "--version" -> version = withoutTagPrefix(value(name, inline, rest));
                case "--sochdb-version" -> sochdbVersion = withoutTagPrefix(value(name, inline, rest));
                case "--dist" -> dist = Path.of(value(name, inline, rest));
                case "--archives" -> archives = Path.of(value(name, inline, rest));
                case "--sdk-source" -> sdkSource = Path.of(value(name, inline, rest));
                default -> throw new InvalidInputException("unknown option \"" + arg + "\" for release (see --help)");
            }
        }
        if (version == null) {
            throw new InvalidInputException("release needs --version (see --help)");
        }
        checkVersions(version, sochdbVersion);
        return new Release(new ReleaseRequest(version, sochdbVersion, dryRun, dist, archives, sdkSource, replaceAssets));
    }

    /** {@code v0.3.2} is how tags spell 0.3.2; upstream asset names and PyPI never carry the v. */
    private static String withoutTagPrefix(String value) {
        String v = value.strip();
        boolean tag = v.length() > 1 && (v.charAt(0) == 'v' || v.charAt(0) == 'V') && Character.isDigit(v.charAt(1));
        return tag ? v.substring(1) : v;
    }

    /** Errors name the option the user typed: --version is also the upstream version unless --sochdb-version is given. */
    private static void checkVersions(String version, String sochdbVersion) {
        try {
            Version.parse(version);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("--version: " + e.getMessage());
        }
        if (sochdbVersion != null) {
            ReleasePlanner.checkUpstreamVersion(sochdbVersion).ifPresent(problem -> {
                throw new InvalidInputException("--sochdb-version \"" + sochdbVersion + "\": " + problem);
            });
        } else {
            ReleasePlanner.checkUpstreamVersion(version).ifPresent(problem -> {
                throw new InvalidInputException("--version \"" + version + "\" also names the upstream sochdb release,"
                        + " but " + problem + "; give the upstream version with --sochdb-version");
            });
        }
    }

    private static String value(String name, String inline, Deque<String> rest) {
        String value = inline != null ? inline : rest.pollFirst();
        if (value == null || value.isBlank() || (inline == null && value.startsWith("--"))) {
            throw new InvalidInputException(name + " needs a value (see --help)");
        }
        return value;
    }
}
