package io.sochdb.release;

import java.util.List;

import org.apache.camel.main.Main;

import io.sochdb.release.cli.CommandLine;
import io.sochdb.release.cli.ReleaseCommand;

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
            System.exit(new ReleaseCommand(System.out, System.err).run(release.request()));
        } else {
            new Main(Application.class).run();
        }
    }

    /** This build's version, from the jar manifest; "dev" when run from classes. */
    public static String version() {
        String version = Application.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
