// SPDX-License-Identifier: Apache-2.0
// CompletionCommandTest: `completion bash` prints a script that bash sources and that completes commands and options.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path dir;

    /** Sources the script in a real bash and asks it to complete {@code words} (the last one being typed). */
    private String complete(String... words) throws Exception {
        Path script = Files.writeString(dir.resolve("uds-interop.bash"), CompletionCommand.script());
        String line = String.join(" ", words);
        String probe = "source " + script + "\nCOMP_WORDS=(" + line + ")\nCOMP_CWORD=" + (words.length - 1)
                + "\nCOMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n"
                + "$(complete -p uds-interop | sed -E 's/.*-F ([^ ]+).*/\\1/') uds-interop\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        CommandRun r = CommandRun.of(dir, List.of("bash", "-c", probe));
        assertThat(r.status()).as(r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void bashCompletesTheCommandsOfTheHarnessAndOfTheScript() throws Exception {
        assertThat(complete("uds-interop", "").lines()).contains("check", "run", "merge", "completion", "dist", "setup", "test");
        assertThat(complete("uds-interop", "ch").lines()).containsExactly("check");
    }

    @Test
    void bashCompletesTheOptionsOfACommand() throws Exception {
        assertThat(complete("uds-interop", "check", "--server-").lines()).contains("--server-cmd", "--server-image");
        assertThat(complete("uds-interop", "check", "--summ").lines()).containsExactly("--summary-md");
    }

    @Test
    void anotherShellIsAUsageError() {
        StringWriter err = new StringWriter();
        int status = HarnessCommand.commandLine().setErr(new PrintWriter(err)).execute("completion", "zsh");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("uds-interop: completion: shell 'zsh': only bash is supported\n");
    }
}
