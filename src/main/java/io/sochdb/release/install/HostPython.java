package io.sochdb.release.install;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A python3 on this machine that has pip.
 *
 * @param executable the interpreter itself (not a pyenv shim), so later processes need no PATH lookups
 */
record HostPython(String executable, String version, String pipVersion) {

    private static final String PROBE = "import sys, pip; print(sys.executable); "
            + "print('%d.%d.%d' % sys.version_info[:3]); print(pip.__version__)";
    private static final String HOST_TAGS = "try:\n from pip._vendor.packaging.tags import sys_tags\n"
            + "except ImportError:\n from packaging.tags import sys_tags\nfor t in sys_tags(): print(t)";

    /** Empty when {@code configured} (a name on PATH, or a path) is missing or has no pip. */
    static Optional<HostPython> find(String configured, PythonProcess processes, Path workDir) throws IOException {
        Optional<Path> candidate = locate(configured);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        PythonProcess.Result probe = processes.run(List.of(candidate.get().toString(), "-I", "-c", PROBE), workDir);
        List<String> lines = probe.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (!probe.ok() || lines.size() < 3) {
            return Optional.empty();
        }
        int n = lines.size();
        return Optional.of(new HostPython(lines.get(n - 3), lines.get(n - 2), lines.get(n - 1)));
    }

    private static Optional<Path> locate(String configured) {
        if (configured == null || configured.isBlank()) {
            return Optional.empty();
        }
        if (configured.contains("/") || configured.contains(File.separator)) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            Path path = Path.of(dir.isEmpty() ? "." : dir, configured);
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** The wheel tags this interpreter installs, best first, as pip ranks them; empty when it cannot tell. */
    List<String> hostTags(PythonProcess processes, Path workDir) throws IOException {
        PythonProcess.Result tags = processes.run(List.of(executable, "-I", "-c", HOST_TAGS), workDir);
        return tags.ok() ? tags.output().lines().map(String::strip).filter(l -> l.matches("[^-\\s]+-[^-\\s]+-[^-\\s]+"))
                .toList() : List.of();
    }

    /** pip 22.3 installs into another interpreter with {@code --python}, so the venv needs no pip of its own. */
    boolean pipInstallsElsewhere() {
        String[] parts = pipVersion.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return major > 22 || (major == 22 && minor >= 3);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    String describe() {
        return executable + " (Python " + version + ", pip " + pipVersion + ")";
    }
}
