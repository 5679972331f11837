package io.sochdb.release.install;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs python and pip with a bounded time and an environment of our choosing: never the service's own (which holds
 * GITHUB_TOKEN and PYPI_TOKEN), and never the machine's pip configuration, which may add other indexes.
 */
final class PythonProcess {

    /** What a process needs to start, find its interpreter (pyenv shims) and reach an index through a proxy. */
    private static final List<String> PASSED_ON = List.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR",
            "SYSTEMROOT", "PYENV_ROOT", "PYENV_VERSION", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY",
            "NO_PROXY", "http_proxy", "https_proxy", "no_proxy");
    private static final Map<String, String> FIXED = Map.of("PIP_CONFIG_FILE", "/dev/null",
            "PIP_DISABLE_PIP_VERSION_CHECK", "1", "PIP_NO_INPUT", "1", "PYTHONDONTWRITEBYTECODE", "1",
            "PYTHONNOUSERSITE", "1");
    private static final int SHOWN = 4000;

    record Result(int exitCode, boolean timedOut, String output) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The last lines pip or python printed as an error, short enough for a summary cell. */
        String lastError() {
            List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("ERROR:") || lines.get(i).matches("^[A-Za-z_.]*(Error|Exception): .*")) {
                    return lines.get(i);
                }
            }
            String tail = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
            return tail.length() > 300 ? tail.substring(0, 300) : tail;
        }

        String tail() {
            return output.length() <= SHOWN ? output : output.substring(output.length() - SHOWN);
        }
    }

    private final Duration timeout;

    /** A Python script shipped in the jar under {@code install/}, to run with {@code -c}. */
    static String script(String name) {
        try (InputStream in = PythonProcess.class.getResourceAsStream("/install/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks install/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PythonProcess(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Output of both streams goes to a file in {@code workDir}, so that no pipe can fill up. */
    Result run(List<String> command, Path workDir) throws IOException {
        return run(command, workDir, timeout);
    }

    /** The same, for a process that does the work of several: {@code limit} instead of the one timeout. */
    Result run(List<String> command, Path workDir, Duration limit) throws IOException {
        Files.createDirectories(workDir);
        Path log = Files.createTempFile(workDir, "process-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(PASSED_ON);
        env.putAll(FIXED);
        // pip reads its CAs from REQUESTS_CA_BUNDLE, not SSL_CERT_FILE: hand it the JVM's CAs plus SSL_CERT_FILE's.
        SubprocessCertificates.bundle().ifPresent(bundle -> env.put("REQUESTS_CA_BUNDLE", bundle.toString()));
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                stop(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return new Result(finished ? process.exitValue() : -1, !finished, output);
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
