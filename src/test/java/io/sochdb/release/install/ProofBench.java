package io.sochdb.release.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import io.sochdb.release.install.report.InstallReport;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.Artifact;

/**
 * The install proof alone, as a dry run runs it, over the wheels of a dist folder: wall time per round and the
 * median. Not a test; run by bench/proof (or by hand):
 * <pre>
 * java -cp target/sochdb-release.jar:target/test-classes io.sochdb.release.install.ProofBench \
 *     --dist bench/out/dist-150 --rounds 5 [--as manylinux_2_17_aarch64=manylinux_2_17_x86_64 ...]
 * </pre>
 * {@code --as NEW=OLD} adds a platform by linking OLD's wheel under NEW's tag, so a folder from a three-platform
 * build can stand for five: pip decides on file names and metadata, so the cells cost what real ones would.
 */
public final class ProofBench {

    private ProofBench() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--as")) {
                aliases.add(args[i + 1]);
            } else {
                options.put(args[i], args[i + 1]);
            }
        }
        Path dist = Path.of(options.getOrDefault("--dist", "bench/out/dist-150"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "5"));
        String python = options.getOrDefault("--python", "python3");
        String index = options.getOrDefault("--index", "http://127.0.0.1:9/simple/");
        Path work = Files.createTempDirectory("proof-bench-");
        List<Target> targets = targets(dist, aliases, work);
        InstallProof.Candidate candidate = new InstallProof.Candidate(targets.get(0).wheel().name().split("-")[0]
                .replace('_', '-'), targets.get(0).wheel().name().split("-")[1], null, targets, true);
        InstallProof proof = new InstallProof(new InstallSettings(InstallSettings.Mode.AUTO, python,
                List.of("3.9", "3.10", "3.11", "3.12", "3.13"), 1, Duration.ZERO, Duration.ofMinutes(3), 2, index,
                "sochdb"));
        List<Double> seconds = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            double cpuBefore = childrenCpuSeconds();
            long start = System.nanoTime();
            InstallReport report = proof.prove(candidate);
            double took = (System.nanoTime() - start) / 1e9;
            double cpuTook = childrenCpuSeconds() - cpuBefore;
            if (!report.state().equals("passed")) {
                System.err.println("the proof did not pass: " + report.detail());
                System.exit(1);
            }
            System.err.printf("%s %.3f s wall, %.2f s CPU in python/pip: %s%n", round == 0 ? "warm-up" : "round " + round,
                    took, cpuTook, report.detail());
            if (round > 0) {
                seconds.add(took);
                cpu.add(cpuTook);
            }
        }
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        Collections.sort(cpu);
        System.out.printf("proof %d cells + smoke test: median %.3f s, min %.3f s, max %.3f s over %d rounds;"
                + " python/pip CPU median %.2f s%n", targets.size() * 5, sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1), sorted.size(), cpu.get(cpu.size() / 2));
    }

    /** CPU time (user + system) of the child processes this JVM has waited for, from /proc (Linux). */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    }

    private static List<Target> targets(Path dist, List<String> aliases, Path work) throws IOException {
        Map<String, Path> byTag = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dist)) {
            files.filter(f -> f.getFileName().toString().endsWith(".whl")).sorted()
                    .forEach(f -> byTag.put(tagOf(f.getFileName().toString()), f));
        }
        for (String alias : aliases) {
            String[] pair = alias.split("=");
            Path source = byTag.get(pair[1]);
            String name = source.getFileName().toString().replace(pair[1] + ".whl", pair[0] + ".whl");
            byTag.put(pair[0], Files.createSymbolicLink(work.resolve(name), source.toAbsolutePath()));
        }
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, Path> e : byTag.entrySet()) {
            Path file = e.getValue();
            List<String> executables = new ArrayList<>();
            String triple = null;
            try (ZipFile zip = new ZipFile(file.toFile())) {
                for (String name : Collections.list(zip.entries()).stream().map(z -> z.getName()).toList()) {
                    String[] parts = name.split("/");
                    if (parts.length == 4 && parts[1].equals("_bin")) {
                        triple = parts[2];
                        executables.add(name);
                    }
                }
            }
            String name = file.getFileName().toString();
            // A linked wheel's binaries are another platform's; its row needs a name of its own.
            String row = Files.isSymbolicLink(file) ? "as-" + e.getKey() : triple;
            targets.add(new Target(row, e.getKey(), executables, new Artifact(name, "wheel", row, Files.size(file),
                    Digests.sha256Hex(file), file)));
        }
        return targets;
    }

    private static String tagOf(String wheel) {
        String[] parts = wheel.substring(0, wheel.length() - 4).split("-");
        return Arrays.asList(parts).get(parts.length - 1);
    }
}
