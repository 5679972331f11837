package io.sochdb.release.pypi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.PyPIUpload;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubSettings;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.RemoteArchive;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.upstream.ArchiveCache;
import io.sochdb.release.wheel.WheelWriter;

/**
 * The benchmark's memory case for the network paths (bench/run, not part of the test run): a large file goes through
 * the real GitHub download ({@link ArchiveCache}, with its size and sha256 checks), the real GitHub asset upload and
 * the real PyPI upload ({@link PypiClient}, multipart), against the fakes. The fakes run in this JVM; the clients run
 * in a child JVM with the default heap, whose peak RSS is what {@code /usr/bin/time} reports.
 *
 * <pre>java -cp target/sochdb-release.jar:target/test-classes io.sochdb.release.pypi.TransferBench DIR MB</pre>
 */
public final class TransferBench {

    private static final String REPO = "sochdb/sochdb";
    private static final String TOKEN = "pypi-bench-token";

    private TransferBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("client")) {
            client(args);
            return;
        }
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "bench/out/transfer"));
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 500;
        Path wheel = dir.resolve("sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl");
        if (!Files.isRegularFile(wheel) || Files.size(wheel) < megabytes * 1_000_000) {
            bigWheel(wheel, megabytes * 1_000_000);
        }
        String sha256 = Digests.sha256Hex(wheel);
        try (FakeGitHub github = FakeGitHub.start(); FakePyPI pypi = FakePyPI.start()) {
            long release = github.addRelease(REPO, "v0.3.2", false);
            long asset = github.addAsset(REPO, release, "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz", wheel);
            github.setDigest(asset, "sha256:" + sha256);
            long target = github.addRelease("sochdb/sochdb-python-sdk", "v0.3.2", true);
            pypi.acceptToken(TOKEN);
            pypi.maxFileSize(Long.MAX_VALUE);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M %e", java));
            // -Dtransfer.jvm="-XX:StartFlightRecording=filename=t.jfr" to look inside the measured JVM
            String jvm = System.getProperty("transfer.jvm", "").strip();
            if (!jvm.isEmpty()) {
                command.addAll(List.of(jvm.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), TransferBench.class.getName(), "client",
                    github.apiUrl(), github.uploadUrl(), pypi.repositoryUrl(), pypi.baseUrl(), wheel.toString(),
                    dir.resolve("cache").toString(), Long.toString(asset), Long.toString(Files.size(wheel)), sha256,
                    Long.toString(target)));
            Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String err = new String(child.getErrorStream().readAllBytes());
            int rc = child.waitFor();
            String[] last = err.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
            List<PyPIUpload> uploads = pypi.uploads();
            boolean stored = uploads.size() == 1 && uploads.get(0).status() == 200 && sha256.equals(uploads.get(0).sha256());
            if (rc != 0 || last.length != 2 || !stored) {
                System.err.print(err);
                throw new IllegalStateException("transfer client failed (exit " + rc + ", upload stored: " + stored + ")");
            }
            System.out.printf("transfer %d MB: peak RSS %d MB, wall %s s (download, GitHub upload, PyPI upload)%n",
                    Files.size(wheel) / 1_000_000, Long.parseLong(last[0]) / 1024, last[1]);
        }
    }

    /** The measured side: real clients, default heap. */
    private static void client(String[] a) throws Exception {
        GitHubSettings settings = new GitHubSettings(a[1], a[2], "gh-bench-token", "sochdb-release/bench", 1,
                Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(1));
        Path wheel = Path.of(a[5]);
        try (GitHubClient github = new GitHubClient(settings)) {
            ArchiveCache cache = new ArchiveCache(github, Path.of(a[6]));
            RemoteArchive remote = new RemoteArchive(REPO, Long.parseLong(a[7]),
                    "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz", Long.parseLong(a[8]), a[9], null);
            WheelJob job = cache.fetch(new WheelJob(null, remote.name(), null, remote, null));
            if (!Digests.sha256Hex(job.archive()).equals(a[9])) {
                throw new IllegalStateException("download differs");
            }
            Files.delete(job.archive());
            github.uploadAsset("sochdb/sochdb-python-sdk", Long.parseLong(a[10]), wheel, wheel.getFileName().toString(),
                    "application/zip");
        }
        PypiSettings pypi = new PypiSettings(a[3], a[4], TOKEN, true, Long.MAX_VALUE, 1, Duration.ofMillis(100),
                Duration.ofSeconds(5), "", "", "", null);
        try (PypiClient client = new PypiClient(pypi, "sochdb-release/bench")) {
            List<Map.Entry<String, String>> form = UploadForm.of(wheel, "wheel", Digests.all(wheel));
            PypiClient.Reply reply = client.upload(wheel, form, TOKEN);
            if (reply.status() != 200) {
                throw new IllegalStateException("PyPI upload answered " + reply.status() + ": " + reply.body());
            }
        }
    }

    /** A valid wheel of about {@code bytes}: one big stored binary, so that building it takes seconds. */
    private static void bigWheel(Path wheel, long bytes) throws IOException {
        try (WheelWriter writer = new WheelWriter(wheel, LocalDateTime.of(2025, 1, 1, 12, 0), 0)) {
            String distInfo = "sochdb_client-0.3.2.dist-info";
            writer.write("sochdb/__init__.py", "__version__ = \"0.3.2\"\n");
            writer.write("sochdb/_bin/x86_64-unknown-linux-gnu/sochdb-server", new java.io.InputStream() {
                private final SplittableRandom random = new SplittableRandom(9);
                private long left = bytes;

                @Override
                public int read() {
                    return left-- > 0 ? random.nextInt(256) : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) random.nextInt(256);
                    }
                    left -= n;
                    return n;
                }
            }, true);
            writer.write(distInfo + "/METADATA", "Metadata-Version: 2.1\nName: sochdb-client\nVersion: 0.3.2\n"
                    + "Summary: bench\n");
            writer.write(distInfo + "/WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: false\n"
                    + "Tag: py3-none-manylinux_2_17_x86_64\n");
            writer.finish(distInfo);
        }
    }
}
