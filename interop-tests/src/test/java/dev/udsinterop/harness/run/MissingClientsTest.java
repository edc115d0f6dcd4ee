// SPDX-License-Identifier: Apache-2.0
// MissingClientsTest: check on a machine without nc and socat names them and --clients up front; under CI=true that is an error.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness runs as its own process with a PATH that holds no program at all; the server is socat (and cat) by full path. */
class MissingClientsTest {
    // An empty PATH has no python3 and no node either: the interpreted clients are missing like nc and socat.
    private static final String NAMED = "clients not installed here: python3 (apt-get install python3), "
            + "node (apt-get install nodejs), nc (apt-get install netcat-openbsd), socat (apt-get install socat)";

    @TempDir
    Path dir;

    private static String socat() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, "socat"))
                .filter(Files::isExecutable).findFirst().orElseThrow().toString();
    }

    private CommandRun check(String ci, String... more) throws Exception {
        String[] args = Stream.concat(Stream.of("check", "--server-cmd",
                socat() + " -t 30 UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:/bin/cat", "--cases", "echo.one-byte",
                "--out", dir.resolve("out").toString()), Stream.of(more)).toArray(String[]::new);
        return CommandRun.of(dir, Map.of("PATH", dir.resolve("empty").toString(), "CI", ci), CommandRun.harness(args));
    }

    @Test
    void withoutCiTheMissingClientsAreNamedWithTheClientsOptionAndTheirCasesSkipped() throws Exception {
        CommandRun r = check("false");
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("uds-interop check: " + NAMED + "; their cases are skipped (install them, "
                + "or leave them out with --clients go-interop,rust-interop,java)");
        assertThat(CheckCommandTest.report(dir.resolve("out")).summary().skipped()).isEqualTo(4);
    }

    @Test
    void underCiAMissingClientIsAnErrorBeforeAnyCaseUnlessItIsLeftOut() throws Exception {
        CommandRun r = check("true");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("uds-interop: check: " + NAMED + "; under CI=true every selected client must "
                + "run: install them, or leave them out with --clients go-interop,rust-interop,java\n");
        assertThat(dir.resolve("out/report.json")).doesNotExist();

        CommandRun left = check("true", "--clients", "java,go-interop");
        assertThat(left.status()).as(left.stderr()).isZero();
        assertThat(left.stdout()).doesNotContain("not installed");
    }
}
