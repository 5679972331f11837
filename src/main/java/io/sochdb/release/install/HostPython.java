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
 * @param tags       the wheel tags this interpreter installs, best first, as pip ranks them; empty when it cannot tell
 */
record HostPython(String executable, String version, String pipVersion, List<String> tags) {

    /** One start-up for all of it: where the interpreter is, its version, pip's, and the tags it installs. */
    private static final String PROBE = String.join("\n",
            "import sys, pip",
            "try:",
            "    from pip._vendor.packaging.tags import sys_tags",
            "except ImportError:",
            "    from packaging.tags import sys_tags",
            "print('PROBE ' + sys.executable)",
            "print('PROBE %d.%d.%d' % sys.version_info[:3])",
            "print('PROBE ' + pip.__version__)",
            "for t in sys_tags():",
            "    print('TAG %s' % t)");

    /** Empty when {@code configured} (a name on PATH, or a path) is missing or has no pip. */
    static Optional<HostPython> find(String configured, PythonProcess processes, Path workDir) throws IOException {
        Optional<Path> candidate = locate(configured);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        PythonProcess.Result probe = processes.run(List.of(candidate.get().toString(), "-I", "-c", PROBE), workDir);
        List<String> lines = probe.output().lines().filter(l -> l.startsWith("PROBE ")).map(l -> l.substring(6).strip())
                .toList();
        if (!probe.ok() || lines.size() != 3) {
            return Optional.empty();
        }
        List<String> tags = probe.output().lines().filter(l -> l.startsWith("TAG ")).map(l -> l.substring(4).strip())
                .filter(t -> t.matches("[^-\\s]+-[^-\\s]+-[^-\\s]+")).toList();
        return Optional.of(new HostPython(lines.get(0), lines.get(1), lines.get(2), tags));
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

    String describe() {
        return executable + " (Python " + version + ", pip " + pipVersion + ")";
    }
}
