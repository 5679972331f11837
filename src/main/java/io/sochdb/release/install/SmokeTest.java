package io.sochdb.release.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sochdb.release.install.report.SmokeResult;

/**
 * Installs the release on this host into a throwaway folder ({@code pip install --target}, no venv to create), as
 * a user would, with its dependencies, and imports it: the version it reports and the bundled executables it ships.
 * The executables are only checked for presence and exec bit; whether they run on this host is the binaries' own
 * business. When the dependencies cannot be installed (no index in reach), our wheel goes in alone, everything that
 * needs no dependency is still checked, and the import is "not proven", naming what was missing.
 */
final class SmokeTest {

    /** What the installed package must show. {@code version}/{@code coreVersion}: when the SDK declares them. */
    record Expected(String requirement, String distribution, String binaryPackage, String version,
            String coreVersion) {
    }

    private static final String CHECK = PythonProcess.script("smoke_check.py");
    private static final String MISSING = PythonProcess.script("missing_dependencies.py");

    private final ObjectMapper json = new ObjectMapper();
    private final PythonProcess processes;

    SmokeTest(PythonProcess processes) {
        this.processes = processes;
    }

    /**
     * @param source       where our package comes from: the index, or (dry run) the built files
     * @param dependencies where a dry run's dependencies come from (the configured index, only read)
     */
    SmokeResult run(HostPython python, PipResolver.Source source, PipResolver.Source dependencies, Expected expected,
            Target host, Path work) throws IOException {
        boolean local = !source.remote();
        String ours = local ? host.wheel().path().toAbsolutePath().toString() : expected.requirement();
        Path site = work.resolve("site");
        String dependencyTrouble = null;
        boolean installed = false;
        if (!local || declaresDependencies(host.wheel().path())) {
            PipResolver.Source from = local ? dependencies : source;
            // A dry run asks the index once: offline, an unreachable index should not cost minutes of retries.
            PythonProcess.Result withDependencies = install(python, site, from, expected, ours,
                    local ? List.of("--retries", "1") : List.of());
            installed = withDependencies.ok();
            if (!installed) {
                dependencyTrouble = "pip install from " + from.description() + ": " + why(withDependencies);
                site = work.resolve("site-without-dependencies");
            }
        }
        if (!installed) {
            PythonProcess.Result alone = install(python, site, local ? PipResolver.Source.NONE : source, expected, ours,
                    List.of("--no-deps"));
            if (!alone.ok()) {
                return failed(host, "pip install " + expected.requirement() + " failed: " + why(alone));
            }
        }
        PythonProcess.Result checked = processes.run(List.of(python.executable(), "-I", "-S", "-c", CHECK,
                site.toString(), expected.binaryPackage(), expected.distribution(),
                json.writeValueAsString(host.executables())), work);
        String line = lastLine(checked, "SMOKE ");
        if (line == null) {
            return failed(host, "could not look at the installed package: " + why(checked));
        }
        List<String> missing = dependencyTrouble == null ? List.of() : missingDependencies(python, site, expected, work);
        return judge(json.readTree(line), host, expected, dependencyTrouble, missing);
    }

    private PythonProcess.Result install(HostPython python, Path site, PipResolver.Source from, Expected expected,
            String ours, List<String> options) throws IOException {
        List<String> command = new ArrayList<>(List.of(python.executable(), "-I", "-m", "pip", "install", "--isolated",
                "--disable-pip-version-check", "--no-cache-dir", "--no-input", "--no-compile", "--target", site.toString(),
                // Our package from a wheel only; its dependencies however a user's pip would get them.
                "--only-binary=" + expected.distribution()));
        command.addAll(options);
        command.addAll(from.pipArguments());
        command.add(ours);
        return processes.run(command, site.getParent());
    }

    private List<String> missingDependencies(HostPython python, Path site, Expected expected, Path work)
            throws IOException {
        String line = lastLine(processes.run(List.of(python.executable(), "-I", "-c", MISSING, site.toString(),
                expected.distribution()), work), "MISSING ");
        return line == null ? List.of() : json.convertValue(json.readTree(line), new TypeReference<List<String>>() { });
    }

    private SmokeResult judge(JsonNode seen, Target host, Expected expected, String dependencyTrouble,
            List<String> missing) {
        String pkg = expected.binaryPackage();
        List<String> problems = new ArrayList<>(json.convertValue(seen.path("problems"),
                new TypeReference<List<String>>() { }));
        List<String> tags = json.convertValue(seen.path("tags"), new TypeReference<List<String>>() { });
        if (tags.stream().noneMatch(t -> host.fileTags().contains(t))) {
            problems.add("pip installed a wheel tagged " + tags + ", not " + host.wheel().name());
        }
        List<String> fine = new ArrayList<>();
        Map<String, String> executables = json.convertValue(seen.path("executables"),
                new TypeReference<Map<String, String>>() { });
        executables.forEach((path, state) -> {
            if (state.equals("ok")) {
                fine.add(path);
            } else {
                problems.add(path + " is " + state);
            }
        });
        JsonNode imported = seen.path("import");
        boolean importOk = imported.path("ok").asBoolean();
        // Without the import, the literals in __init__.py are what the package will say.
        String shownVersion = text(importOk ? imported.path("version") : seen.path("literals").path("__version__"));
        String shownCore = text(importOk ? imported.path("core_version")
                : seen.path("literals").path("__core_version__"));
        if (shownVersion != null && !shownVersion.equals(expected.version())) {
            problems.add(pkg + ".__version__ is " + shownVersion + ", not " + expected.version());
        }
        if (shownCore != null && !shownCore.equals(expected.coreVersion())) {
            problems.add(pkg + ".__core_version__ is " + shownCore + ", not " + expected.coreVersion());
        }
        String notProven = null;
        if (!importOk) {
            String absent = imported.path("missing").asText("");
            boolean foreign = !absent.isEmpty() && !absent.split("\\.")[0].equals(pkg);
            if (dependencyTrouble != null && foreign) {
                notProven = "import " + pkg + " not proven: it needs " + (missing.isEmpty() ? "module " + absent
                        : String.join(", ", missing)) + ", which could not be installed (" + dependencyTrouble + ")";
            } else {
                problems.add("import " + pkg + " failed: " + imported.path("error").asText());
            }
        }
        String found = pkg + ": __version__ " + orAbsent(shownVersion) + ", __core_version__ " + orAbsent(shownCore)
                + ", " + fine.size() + " executables present and executable";
        String state = !problems.isEmpty() ? "failed" : notProven != null ? SmokeResult.NOT_PROVEN : "passed";
        String detail = !problems.isEmpty() ? String.join("; ", problems)
                : notProven != null ? "installed without its dependencies, " + found + " (read from the files); "
                        + notProven : "import " + found;
        return new SmokeResult(state, host.tag(), host.wheel().name(), shownVersion, shownCore, fine,
                notProven == null ? List.of() : missing, detail);
    }

    /** Whether METADATA requires anything beyond extras: only then does a dry run need an index for the smoke test. */
    static boolean declaresDependencies(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String[] parts = entry.getName().split("/");
                if (parts.length == 2 && parts[0].endsWith(".dist-info") && parts[1].equals("METADATA")) {
                    String metadata = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                    return metadata.lines().anyMatch(l -> l.startsWith("Requires-Dist:")
                            && !l.replace(" ", "").contains("extra=="));
                }
            }
        }
        return false;
    }

    private String why(PythonProcess.Result result) {
        return result.timedOut() ? "took longer than " + processes.timeout().toSeconds() + " s" : result.lastError();
    }

    private static String lastLine(PythonProcess.Result result, String prefix) {
        return result.output().lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .reduce((a, b) -> b).orElse(null);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static String orAbsent(String value) {
        return value == null ? "not declared" : value;
    }

    private static SmokeResult failed(Target host, String detail) {
        return new SmokeResult("failed", host.tag(), host.wheel().name(), null, null, List.of(), List.of(), detail);
    }
}
