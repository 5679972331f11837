package io.sochdb.release.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.function.Supplier;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.http.OutboundHttp;
import io.sochdb.release.pipeline.ReleasePlanner;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/** {@code release}: runs one release through the same routes the service uses, then exits. */
public final class ReleaseCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<Main> camel;

    /** @param camel the Camel Main that carries the release routes, made only once the input is known to be good */
    public ReleaseCommand(PrintStream out, PrintStream err, Supplier<Main> camel) {
        this.out = out;
        this.err = err;
        this.camel = camel;
    }

    public int run(ReleaseRequest request) throws Exception {
        try {
            checkPaths(request);
            ReleasePlanner.checkRequest(request);
            // A bad proxy URL or CA file is bad input, reported before anything starts.
            OutboundHttp.fromEnvironment(System.getenv());
        } catch (InvalidInputException e) {
            err.println("error: " + e.getMessage());
            return BAD_INPUT;
        }
        ReleaseRun run = new ReleaseRun(request, Clock.systemUTC());
        Main main = camel.get();
        String summary;
        try {
            main.start();
            ProducerTemplate template = main.getCamelTemplate();
            summary = template.requestBody("direct:release", run, String.class);
        } finally {
            main.stop();
        }
        Throwable failure = run.failure();
        if (failure instanceof InvalidInputException) {
            err.println("error: " + failure.getMessage());
            return BAD_INPUT;
        }
        out.print(summary);
        out.flush();
        if (failure != null) {
            err.println("release failed at step " + run.failedStep() + ": " + failure.getMessage());
            return FAILED;
        }
        return OK;
    }

    /** Unreadable inputs are the caller's mistake (exit 2), not a failed release. */
    private static void checkPaths(ReleaseRequest request) {
        if (request.sdkSource() != null && !Files.isDirectory(request.sdkSource())) {
            throw new InvalidInputException("--sdk-source " + request.sdkSource() + " is not a readable folder");
        }
        if (request.sdkSource() != null && !Files.isRegularFile(request.sdkSource().resolve("pyproject.toml"))) {
            throw new InvalidInputException("--sdk-source " + request.sdkSource() + " has no pyproject.toml");
        }
        if (request.archives() != null && !Files.isDirectory(request.archives())) {
            throw new InvalidInputException("--archives " + request.archives() + " is not a readable folder");
        }
        if (Files.exists(request.dist()) && !Files.isDirectory(request.dist())) {
            throw new InvalidInputException("--dist " + request.dist() + " exists and is not a folder");
        }
    }
}
