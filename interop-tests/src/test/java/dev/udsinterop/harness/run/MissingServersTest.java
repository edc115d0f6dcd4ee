// SPDX-License-Identifier: Apache-2.0
// MissingServersTest: run on a machine without python3 and node (the release bundle's) names the Python and Node.js servers up front and skips their cases; under CI=true that is an error.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.verdict.Status;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs as its own process with a PATH that holds no program at all: the Java, Go, Rust and C servers
 * run by full path, the Python and Node.js servers need python3 and node from PATH. One case, one client (the JDK's),
 * one transport: seven entries, about two seconds.
 */
class MissingServersTest {
    private static final String NAMED = "servers not installed here: python3 (apt-get install python3), "
            + "node (apt-get install nodejs)";
    private static final String PRESENT = "java,go-echo,go-seed,rust,c-epoll";

    @TempDir
    Path dir;

    private CommandRun run(String ci, String... more) throws Exception {
        String[] args = Stream.concat(Stream.of("run", "--runtime", "local", "--client", "java", "--transport", "unix",
                "--cases", "echo.one-byte", "--out", dir.resolve("out").toString()), Stream.of(more)).toArray(String[]::new);
        return CommandRun.of(dir, Map.of("PATH", dir.resolve("empty").toString(), "CI", ci), CommandRun.harness(args));
    }

    @Test
    void withoutCiTheMissingServersAreNamedWithTheServerOptionAndTheirCasesSkipped() throws Exception {
        CommandRun r = run("false");
        assertThat(r.status()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("uds-interop run: " + NAMED + "; their cases are skipped (install them, "
                + "or leave them out with --server " + PRESENT + ")");
        var results = CheckCommandTest.report(dir.resolve("out")).results();
        assertThat(results).filteredOn(c -> c.server().equals("python") || c.server().equals("node"))
                .extracting(CaseResult::status).containsExactly(Status.SKIPPED, Status.SKIPPED);
        assertThat(results).filteredOn(c -> c.server().equals("python")).first()
                .satisfies(c -> assertThat(c.failure().message()).contains("python3 is not installed: run ./uds-interop "
                        + "setup (apt-get install python3)"));
        assertThat(results).filteredOn(c -> !c.server().equals("python") && !c.server().equals("node"))
                .hasSize(5).extracting(CaseResult::status).containsOnly(Status.PASSED);
    }

    @Test
    void underCiAMissingServerIsAnErrorBeforeAnyCaseUnlessItIsLeftOut() throws Exception {
        CommandRun r = run("true");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("uds-interop: run: " + NAMED + "; under CI=true every selected server must "
                + "run: install them, or leave them out with --server " + PRESENT + "\n");
        assertThat(dir.resolve("out/report.json")).doesNotExist();

        CommandRun left = run("true", "--server", PRESENT);
        assertThat(left.status()).as(left.stdout() + left.stderr()).isZero();
        assertThat(left.stdout()).doesNotContain("not installed");
    }
}
