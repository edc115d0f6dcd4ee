// SPDX-License-Identifier: Apache-2.0
// OutputDirectoryTest: an output path that cannot be used ends the command before any work, with one line and exit 2.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.cli.UsageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class OutputDirectoryTest {

    @Test
    void createsAMissingDirectoryWithItsParents(@TempDir Path tmp) {
        OutputDirectory out = OutputDirectory.prepare("--out", tmp.resolve("a/b"), "report.json");
        assertThat(out.path()).isDirectory().isAbsolute();
        assertThat(out.resolve("report.json")).isEqualTo(tmp.resolve("a/b/report.json"));
        assertThat(tmp.resolve("a/b")).isEmptyDirectory(); // the write probe is gone
    }

    @Test
    void refusesAProcDirectory() {
        // /proc refuses new entries even to root, for whom permission bits mean little.
        assertThatThrownBy(() -> OutputDirectory.prepare("--out", Path.of("/proc/forbidden")))
                .isInstanceOf(UsageException.class)
                .hasMessage("--out /proc/forbidden: cannot create the directory: No such file or directory");
    }

    @Test
    void refusesARegularFile(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes"), "keep me");
        assertThatThrownBy(() -> OutputDirectory.prepare("--out", file))
                .hasMessage("--out " + file + ": not a directory");
        assertThatThrownBy(() -> OutputDirectory.prepare("--out", file.resolve("sub")))
                .hasMessage("--out " + file.resolve("sub") + ": cannot create the directory: Not a directory");
        assertThat(file).hasContent("keep me");
    }

    @Test
    void refusesADirectoryWhereAReportGoes(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("report.html"));
        assertThatThrownBy(() -> OutputDirectory.prepare("--out", tmp, "report.json", "report.html"))
                .hasMessage("--out " + tmp + ": cannot write " + tmp.resolve("report.html") + ": it is a directory");
    }

    /** Every subcommand that writes files refuses an unusable --out with one line and exit 2, before any work. */
    @TestFactory
    Stream<DynamicTest> everyCommandWithAnOutDirectoryChecksItFirst() {
        return HarnessCommand.commandLine().getSubcommands().entrySet().stream()
                .filter(e -> e.getValue().getCommandSpec().findOption("--out") != null)
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    StringWriter err = new StringWriter();
                    StringWriter out = new StringWriter();
                    CommandLine command = HarnessCommand.commandLine();
                    command.setErr(new PrintWriter(err, true)).setOut(new PrintWriter(out, true));
                    List<String> args = new ArrayList<>(List.of(e.getKey(), "--out", "/proc/forbidden"));
                    args.addAll(REQUIRED.getOrDefault(e.getKey(), List.of()));
                    int status = command.execute(args.toArray(String[]::new));
                    assertThat(err.toString()).isEqualTo("uds-interop: --out /proc/forbidden: cannot create the "
                            + "directory: No such file or directory" + System.lineSeparator());
                    assertThat(status).isEqualTo(2);
                }));
    }

    /** The arguments a subcommand needs besides --out, so that the --out check is what stops it. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "check", List.of("--server-cmd", "go-reference/target/bin/echo-server -unix {unix}"),
            "merge", List.of("reports/none.json"));

    /** The whole command, as a process: one line, exit 2, and nothing run. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--out|/proc/forbidden|uds-interop: --out /proc/forbidden: cannot create the directory: No such file or directory",
        "--out|/dev/null|uds-interop: --out /dev/null: not a directory",
        "--timeout-scale|0|uds-interop: --timeout-scale 0.0: want a positive factor",
        "--server|nosuch|uds-interop: no matrix entry matches --server nosuch (see --list)"})
    void runStopsBeforeAnyWork(String option, String value, String error) throws Exception {
        CommandRun r = CommandRun.of(Path.of("."), CommandRun.harness("run", option, value));
        assertThat(r.stderr()).isEqualTo(error + "\n");
        assertThat(r.stdout()).as("nothing started").isEmpty();
        assertThat(r.status()).isEqualTo(2);
    }
}
