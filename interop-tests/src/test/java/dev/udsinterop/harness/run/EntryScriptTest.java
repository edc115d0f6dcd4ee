// SPDX-License-Identifier: Apache-2.0
// EntryScriptTest: what ./uds-interop answers before doing any work: --version, help without a build, test --help.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.report.EnvironmentProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the real entry script as a process. */
class EntryScriptTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();

    /** Runs the copy of the entry script in {@code dir} with {@code args}. */
    static CommandRun run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", dir.resolve("uds-interop").toString()));
        command.addAll(List.of(args));
        return CommandRun.of(dir, command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void printsTheProjectVersionAndTheCommit(String option) throws Exception {
        CommandRun r = run(layout.home(), option);
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).isEqualTo("uds-interop " + System.getProperty("uds.version") + " (git "
                + EnvironmentProbe.gitCommit(layout.home()) + ")\n");
    }

    @Test
    void theHarnessPrintsTheSameVersion() throws Exception {
        StringWriter out = new StringWriter();
        int status = HarnessCommand.commandLine().setOut(new PrintWriter(out)).execute("--version");
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(run(layout.home(), "--version").stdout());
    }

    /** A fresh clone has nothing built: help must come without building, installing or even a JDK. */
    @ParameterizedTest
    @ValueSource(strings = {"run", "server"})
    void helpNeverBuilds(String command, @TempDir Path clone) throws Exception {
        Files.copy(layout.home().resolve("uds-interop"), clone.resolve("uds-interop"));
        Files.createDirectories(clone.resolve("help"));
        Path text = layout.home().resolve("help").resolve(command + ".txt");
        Files.copy(text, clone.resolve("help").resolve(command + ".txt"));
        for (String help : List.of("--help", "-h")) {
            CommandRun r = run(clone, command, help);
            assertThat(r.stderr()).as("stderr of %s %s", command, help).isEmpty();
            assertThat(r.status()).isZero();
            assertThat(r.stdout()).isEqualTo(Files.readString(text));
        }
        try (var files = Files.list(clone)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("uds-interop", "help");
        }
    }

    /** setup and build act on any call: their --help must only print, and stray arguments are refused. */
    @ParameterizedTest
    @ValueSource(strings = {"setup", "build"})
    void setupAndBuildTakeHelpAndNothingElse(String command, @TempDir Path clone) throws Exception {
        Files.copy(layout.home().resolve("uds-interop"), clone.resolve("uds-interop"));
        CommandRun help = run(clone, command, "--help");
        assertThat(help.stderr()).isEmpty();
        assertThat(help.status()).isZero();
        assertThat(help.stdout()).startsWith("Usage: ./uds-interop COMMAND");
        CommandRun bogus = run(clone, command, "--bogus");
        assertThat(bogus.status()).isEqualTo(2);
        assertThat(bogus.stderr()).isEqualTo("uds-interop: " + command + " takes no arguments (got '--bogus'; "
                + "see './uds-interop --help')\n");
        try (var files = Files.list(clone)) {
            assertThat(files).as("nothing built or written").hasSize(1);
        }
    }

    @Test
    void testHelpSaysWhatGoesToMaven(@TempDir Path clone) throws Exception {
        Files.copy(layout.home().resolve("uds-interop"), clone.resolve("uds-interop"));
        CommandRun r = run(clone, "test", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).contains("mvn -B -ntp verify [MAVEN ARGS...]", "InteropMatrixTest", "junit.xml",
                "MAVEN ARGS go to mvn unchanged");
    }

    @Test
    void topHelpNamesEveryReportAndTheVersion() throws Exception {
        CommandRun r = run(layout.home(), "--help");
        assertThat(r.status()).isZero();
        assertThat(r.stdout()).contains("report.json", "report.html", "junit.xml", "--version");
    }

    /** Maven's jansi writes a reset code at start and end even with -B; .mvn/jvm.config turns that off. */
    @Test
    void mavenWritesNoColourCodesWhenNotATerminal() throws Exception {
        CommandRun mvn = CommandRun.of(layout.home(), Map.of("JAVA_HOME", System.getProperty("java.home")),
                List.of("mvn", "-B", "-ntp", "-N", "validate"));
        assertThat(mvn.stdout()).contains("BUILD SUCCESS").doesNotContain("\u001b");
        assertThat(mvn.stderr()).doesNotContain("\u001b");
    }
}
