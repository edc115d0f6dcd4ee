// SPDX-License-Identifier: Apache-2.0
// HelpTextsTest: help/COMMAND.txt, which the entry script prints for 'COMMAND --help' without building, is each command's own --help.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Help must never build (a fresh clone has nothing built), so the entry script prints committed copies of the
 * help texts. This keeps every copy true: each one must equal what its command prints at 80 columns without
 * colour. After changing a command's options or help, rewrite the copies with
 * {@code mvn -pl interop-tests -am verify -Dtest=HelpTextsTest -Dsurefire.failIfNoSpecifiedTests=false -Duds.help.update=true}
 * (or write the text this test prints into the file it names).
 */
class HelpTextsTest {
    static final int WIDTH = 80;
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();

    /** Returns {@code --help} of every harness subcommand a user can call, as the script shows it. */
    static List<String[]> harnessHelp() {
        List<String[]> texts = new ArrayList<>();
        new CommandLine(new HarnessCommand()).getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                sub.setUsageHelpAutoWidth(false).setUsageHelpWidth(WIDTH);
                texts.add(new String[] {name, sub.getUsageMessage(CommandLine.Help.Ansi.OFF)});
            }
        });
        return texts;
    }

    @TestFactory
    Stream<DynamicTest> eachHarnessCommandHasATrueCopy() {
        return harnessHelp().stream().map(t -> DynamicTest.dynamicTest(t[0], () -> check(t[0], t[1])));
    }

    @Test
    void theServerHasATrueCopy() throws Exception {
        // setsid: no controlling terminal, so picocli cannot widen the text to a terminal's width.
        CommandRun r = CommandRun.of(layout.home(), List.of("setsid", javaCommand(), "-Dpicocli.ansi=false",
                "-Dpicocli.usage.width=" + WIDTH, "-jar", ProjectLayout.require(layout.javaServerJar()).toString(), "--help"));
        assertThat(r.status()).as("server --help exit status; stderr: %s", r.stderr()).isZero();
        check("server", r.stdout());
    }

    @Test
    void runsUsageLineDoesNotWrap() {
        String run = harnessHelp().stream().filter(t -> t[0].equals("run")).findFirst().orElseThrow()[1];
        assertThat(run.lines().findFirst()).hasValue("Usage: uds-interop run [OPTIONS]");
        assertThat(run.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(WIDTH));
    }

    /** The harness as a process writing to a pipe: picocli's Ansi.AUTO must see no terminal and write no colour. */
    @Test
    void theHarnessWritesNoColourCodesToAPipe() throws Exception {
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(CommandRun.harness("run", "--help"));
        CommandRun r = CommandRun.of(layout.home(), command);
        assertThat(r.stdout() + r.stderr()).doesNotContain("\u001b");
        assertThat(r.stdout()).isEqualTo(Files.readString(layout.home().resolve("help/run.txt")));
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void check(String command, String text) throws IOException {
        Path copy = layout.home().resolve("help").resolve(command + ".txt");
        if (Boolean.getBoolean("uds.help.update")) {
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, text, StandardCharsets.UTF_8);
        }
        assertThat(copy).as("%s: the copy the script prints for '%s --help'; write this text there:%n%s", copy, command, text)
                .exists();
        assertThat(Files.readString(copy, StandardCharsets.UTF_8))
                .as("%s is out of date; rewrite it (see HelpTextsTest's comment)", copy).isEqualTo(text);
    }
}
