package io.sochdb.release.install;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Installs the release on this host into a throwaway venv, as a user would, and imports it: the version it reports
 * and the bundled executables it ships. The executables are only checked for presence and exec bit; whether they
 * run on this host is the binaries' own business.
 */
final class SmokeTest {

    private static final String SCRIPT = String.join("\n",
            "import importlib, importlib.metadata as md, json, os, sys",
            "pkg, dist, exes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])",
            "m = importlib.import_module(pkg)",
            "site = os.path.dirname(os.path.dirname(os.path.abspath(m.__file__)))",
            "wheel = md.distribution(dist).read_text('WHEEL') or ''",
            "def state(p):",
            "    p = os.path.join(site, p)",
            "    return 'ok' if os.path.isfile(p) and os.access(p, os.X_OK) else 'not executable' if os.path.isfile(p) else 'missing'",
            "print('SMOKE ' + json.dumps({'version': getattr(m, '__version__', None),",
            "    'core_version': getattr(m, '__core_version__', None),",
            "    'tags': [l.split(':', 1)[1].strip() for l in wheel.splitlines() if l.startswith('Tag:')],",
            "    'executables': {e: state(e) for e in exes}}))");

    private final ObjectMapper json = new ObjectMapper();
    private final PythonProcess processes;

    SmokeTest(PythonProcess processes) {
        this.processes = processes;
    }

    /**
     * @param version     the release version {@code __version__} must show, when the SDK declares one
     * @param coreVersion the upstream version {@code __core_version__} must show, when the SDK declares one
     */
    SmokeResult run(HostPython python, PipResolver.Source source, String requirement, String distribution,
            String binaryPackage, Target host, String version, String coreVersion, Path work) throws IOException {
        Path venv = work.resolve("venv");
        String venvPython = venv.resolve("bin/python").toString();
        boolean elsewhere = python.pipInstallsElsewhere();
        List<String> create = new ArrayList<>(List.of(python.executable(), "-I", "-m", "venv"));
        if (elsewhere) {
            create.add("--without-pip");
        }
        create.add(venv.toString());
        PythonProcess.Result created = processes.run(create, work);
        if (!created.ok()) {
            return failed(host, "could not create a venv: " + created.lastError());
        }
        List<String> install = new ArrayList<>(elsewhere
                ? List.of(python.executable(), "-I", "-m", "pip", "--python", venvPython, "install", "--root-user-action=ignore")
                : List.of(venvPython, "-I", "-m", "pip", "install"));
        // Our package from a wheel only; its dependencies however a user's pip would get them.
        install.addAll(List.of("--isolated", "--disable-pip-version-check", "--no-cache-dir", "--no-input",
                "--only-binary=" + distribution));
        // The local files hold no dependencies; from the index, install as a user would.
        if (!source.remote()) {
            install.add("--no-deps");
        }
        install.addAll(source.pipArguments());
        install.add(requirement);
        PythonProcess.Result installed = processes.run(install, work);
        if (!installed.ok()) {
            return failed(host, "pip install " + requirement + " failed: " + (installed.timedOut()
                    ? "took longer than " + processes.timeout().toSeconds() + " s" : installed.lastError()));
        }
        PythonProcess.Result imported = processes.run(List.of(venvPython, "-I", "-c", SCRIPT, binaryPackage, distribution,
                json.writeValueAsString(host.executables())), work);
        String line = imported.output().lines().filter(l -> l.startsWith("SMOKE ")).reduce((a, b) -> b).orElse(null);
        if (!imported.ok() || line == null) {
            return failed(host, "import " + binaryPackage + " failed: " + imported.lastError());
        }
        return judge(json.readTree(line.substring("SMOKE ".length())), host, binaryPackage, version, coreVersion);
    }

    private SmokeResult judge(JsonNode seen, Target host, String binaryPackage, String version, String coreVersion) {
        String shownVersion = seen.path("version").isTextual() ? seen.path("version").asText() : null;
        String shownCore = seen.path("core_version").isTextual() ? seen.path("core_version").asText() : null;
        List<String> tags = json.convertValue(seen.path("tags"), new TypeReference<List<String>>() { });
        Map<String, String> executables = json.convertValue(seen.path("executables"),
                new TypeReference<Map<String, String>>() { });
        List<String> problems = new ArrayList<>();
        if (!tags.stream().anyMatch(t -> host.fileTags().contains(t))) {
            problems.add("pip installed a wheel tagged " + tags + ", not " + host.wheel().name());
        }
        if (shownVersion != null && !shownVersion.equals(version)) {
            problems.add(binaryPackage + ".__version__ is " + shownVersion + ", not " + version);
        }
        if (shownCore != null && !shownCore.equals(coreVersion)) {
            problems.add(binaryPackage + ".__core_version__ is " + shownCore + ", not " + coreVersion);
        }
        List<String> fine = new ArrayList<>();
        executables.forEach((path, state) -> {
            if (state.equals("ok")) {
                fine.add(path);
            } else {
                problems.add(path + " is " + state);
            }
        });
        String detail = problems.isEmpty()
                ? "import " + binaryPackage + ": __version__ " + orAbsent(shownVersion) + ", __core_version__ "
                        + orAbsent(shownCore) + ", " + fine.size() + " executables present and executable"
                : String.join("; ", problems);
        return new SmokeResult(problems.isEmpty() ? "passed" : "failed", host.tag(), host.wheel().name(), shownVersion,
                shownCore, fine, detail);
    }

    private static String orAbsent(String value) {
        return value == null ? "not declared" : value;
    }

    private static SmokeResult failed(Target host, String detail) {
        return new SmokeResult("failed", host.tag(), host.wheel().name(), null, null, List.of(), detail);
    }
}
