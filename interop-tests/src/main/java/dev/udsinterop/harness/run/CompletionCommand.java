// SPDX-License-Identifier: Apache-2.0
// CompletionCommand: `uds-interop completion bash`: a bash completion script for the commands and their options (picocli's AutoComplete).
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.host.Remedy;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints a bash completion script for {@code uds-interop}: the harness's commands with their options, and the
 * entry script's own commands (setup, build, test, dist, server), whose options the harness does not know.
 * Bash looks a command's completion up by its file name too, so it serves {@code ./uds-interop} and the bundle's
 * {@code bin/uds-interop} alike.
 */
@Command(name = "completion", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Prints a bash completion script for uds-interop: its commands and their options.",
            "Install it for every new shell (bash-completion loads it from there):",
            "  d=~/.local/share/bash-completion/completions",
            "  mkdir -p $d && ./uds-interop completion bash > $d/uds-interop",
            "or for this shell only:",
            "  source <(./uds-interop completion bash)"},
        footerHeading = "%n", footer = "Exit status: 0, or 2 for a shell other than bash.")
final class CompletionCommand implements Callable<Integer> {
    /** The entry script's commands that are not harness commands. */
    static final List<String> SCRIPT_COMMANDS = List.of("setup", "build", "test", "dist", "server", "help");
    /** The release bundle's launcher's commands that are not harness commands. */
    static final List<String> BUNDLE_COMMANDS = List.of("server", "help");

    @Parameters(paramLabel = "SHELL", description = "The shell: bash (the only one).")
    private String shell;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new UsageException("completion: shell '" + shell + "': only bash is supported");
        }
        System.out.print(script());
        return HarnessCommand.OK;
    }

    /** Returns the completion script of the harness's commands plus the entry script's own. */
    static String script() {
        CommandLine root = HarnessCommand.commandLine();
        // A bundle's launcher has no setup, build, test or dist: its completion offers none.
        for (String name : Remedy.inBundle() ? BUNDLE_COMMANDS : SCRIPT_COMMANDS) {
            root.addSubcommand(name, CommandSpec.create().name(name));
        }
        return AutoComplete.bash("uds-interop", root);
    }
}
