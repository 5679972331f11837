package io.sochdb.release;

import java.util.List;

import org.apache.camel.main.Main;

import io.sochdb.release.cli.CommandLine;
import io.sochdb.release.cli.ReleaseCommand;
import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.state.StateStoreStartupException;

/** Entry point: with no arguments the service runs; {@code release} runs one release and exits. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine.Command command;
        try {
            String defaultDist = System.getenv().getOrDefault("DIST_DIR", "./dist");
            command = CommandLine.parse(List.of(args), defaultDist.isBlank() ? "./dist" : defaultDist);
        } catch (InvalidInputException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(ReleaseCommand.BAD_INPUT);
            return;
        }
        if (command instanceof CommandLine.Help) {
            System.out.print(CommandLine.USAGE);
        } else if (command instanceof CommandLine.Release release) {
            System.exit(new ReleaseCommand(System.out, System.err, Application::releaseOnly).run(release.request()));
        } else {
            try {
                service().run();
            } catch (Exception e) {
                // A store that would lose the release history stops the start with its own words, not a stack trace.
                for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                    if (t instanceof StateStoreStartupException refused) {
                        System.err.println("error: " + refused.getMessage());
                        System.exit(1);
                    }
                }
                throw e;
            }
        }
    }

    /** The service: every route, the HTTP endpoints and the management port. */
    public static Main service() {
        Main main = new Main();
        main.configure().addConfiguration(ReleaseConfiguration.class);
        main.configure().addConfiguration(ServiceConfiguration.class);
        return main;
    }

    /** One release and out: the release routes only, with no HTTP server, management port or triggers. */
    public static Main releaseOnly() {
        Main main = new Main();
        main.configure().addConfiguration(ReleaseConfiguration.class);
        main.addOverrideProperty("camel.main.routes-exclude-pattern", "**/triggers.camel.yaml,**/runs.camel.yaml");
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        // Nobody scrapes a process that exits after one release; Prometheus' registry costs start-up time.
        main.addOverrideProperty("camel.metrics.enabled", "false");
        return main;
    }

    /** This build's version, from the jar manifest; "dev" when run from classes. */
    public static String version() {
        String version = Application.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
