// SPDX-License-Identifier: Apache-2.0
// HarnessCommand: the harness's command line (uds-interop run, ...), its exit codes and its one-line errors.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.bench.BenchCommand;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.fixture.FixtureException;
import dev.udsinterop.harness.report.EnvironmentProbe;
import dev.udsinterop.harness.server.ServerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code uds-interop}: the subcommands that run Java. Exit status: 0 success, 1 a case failed
 * unexpectedly, 2 bad usage, invalid fixtures, a path that cannot be written or a missing build artifact.
 * Arguments, fixtures and output paths are checked before any work starts ({@link OutputDirectory}).
 */
@Command(name = "uds-interop", mixinStandardHelpOptions = true, versionProvider = HarnessCommand.Version.class,
        subcommands = {RunCommand.class, BenchCommand.class, CheckCommand.class, MergeCommand.class, SoakCommand.class,
            CompletionCommand.class},
        description = "The uds-interop harness. Usually started through the ./uds-interop script.")
public final class HarnessCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** Returns the command line with its error handling: one line and exit 2 for every mistake a user can make. */
    static CommandLine commandLine() {
        return new CommandLine(new HarnessCommand())
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println("uds-interop: " + e.getMessage() + " (see --help)");
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (isUserFacing(e)) {
                        commandLine.getErr().println("uds-interop: " + (e instanceof FileSystemException f
                                ? f.getFile() + ": " + OutputDirectory.cause(f) : e.getMessage()));
                        return USAGE;
                    }
                    commandLine.getErr().println("uds-interop: unexpected failure: " + e);
                    e.printStackTrace(commandLine.getErr());
                    return FAILED;
                });
    }

    /**
     * Returns true for the failures whose message says all a user needs: mistakes in the arguments or the
     * fixtures, a missing build, and the file system refusing a read or a write (its message names the path).
     */
    private static boolean isUserFacing(Exception e) {
        return e instanceof UsageException || e instanceof FixtureException
                || e instanceof ProjectLayout.MissingArtifactException || e instanceof ServerException
                || e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException;
    }

    /** The project's version (Maven writes it into the jar) and the commit of the checkout, as the entry script prints them. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = HarnessCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"uds-interop " + p.getProperty("version", EnvironmentProbe.UNKNOWN)
                    + " (git " + EnvironmentProbe.gitCommit(ProjectLayout.fromSystemProperty().home()) + ")"};
        }
    }
}
