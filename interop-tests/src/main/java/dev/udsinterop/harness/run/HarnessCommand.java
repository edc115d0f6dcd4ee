// SPDX-License-Identifier: Apache-2.0
// HarnessCommand: the harness's command line (uds-interop run, ...), its exit codes and its one-line errors.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.FixtureException;
import dev.udsinterop.harness.server.ServerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code uds-interop}: the subcommands that run Java. Exit status: 0 success, 1 a case failed
 * unexpectedly, 2 bad usage, invalid fixtures or a missing build artifact.
 */
@Command(name = "uds-interop", mixinStandardHelpOptions = true, version = "uds-interop 0.1.0",
        subcommands = {RunCommand.class},
        description = "The uds-interop harness. Usually started through the ./uds-interop script.")
public final class HarnessCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new HarnessCommand())
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println("uds-interop: " + e.getMessage() + " (see --help)");
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (e instanceof FixtureException || e instanceof ProjectLayout.MissingArtifactException
                            || e instanceof ServerException || e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("uds-interop: " + e.getMessage());
                        return USAGE;
                    }
                    commandLine.getErr().println("uds-interop: unexpected failure: " + e);
                    e.printStackTrace(commandLine.getErr());
                    return FAILED;
                })
                .execute(args);
    }
}
