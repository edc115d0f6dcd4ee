// SPDX-License-Identifier: Apache-2.0
// DefaultSignals: a server starts with SIGINT and SIGTERM at their default dispositions, whatever the harness inherited.
package dev.udsinterop.harness.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A non-interactive shell starts background jobs with SIGINT ignored ({@code nohup}, {@code &} in a script, some CI
 * runners), an ignored signal stays ignored through exec, and so every program the harness starts inherits it. A
 * JVM then installs no handler for it ({@code sun.misc.Signal.handle} returns SIG_IGN and changes nothing), so a
 * Java server stopped with SIGINT never sees it (the example project's did not, and ExampleProjectIT failed); the
 * same for SIGTERM when that was ignored. The harness stops servers with these two, so it starts them through
 * coreutils {@code env --default-signal=INT,TERM} (8.31+), which restores both and execs the server in the same
 * process. Where env lacks the option the command runs as given, as before; so does a program that is not there,
 * so that its start fails as it did ({@link ServerException}), not as env's exit status 127.
 */
final class DefaultSignals {
    static final List<String> PREFIX = List.of("env", "--default-signal=INT,TERM");
    private static final boolean AVAILABLE = probe();

    private DefaultSignals() {
    }

    /** Returns {@code command} started with SIGINT and SIGTERM at their defaults, where env can do that. */
    static List<String> restoring(List<String> command) {
        if (!AVAILABLE || command.isEmpty() || !executable(command.get(0))) {
            return command;
        }
        List<String> words = new ArrayList<>(PREFIX);
        words.add("--"); // a server program whose name starts with '-' stays the program
        words.addAll(command);
        return words;
    }

    /** Returns true if {@code program}, a path (it has a slash) or a name on PATH, is an executable file. */
    private static boolean executable(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        return Arrays.stream(path.split(":")).anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    private static boolean probe() {
        try {
            List<String> command = new ArrayList<>(PREFIX);
            command.add("true");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
