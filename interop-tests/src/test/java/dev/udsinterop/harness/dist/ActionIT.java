// SPDX-License-Identifier: Apache-2.0
// ActionIT: action.yml's steps, run as a GitHub runner runs them, check socat with this build's bundle: outputs and summary.
package dev.udsinterop.harness.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionIT {
    private static final String SOCAT = "socat -t 30 UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat";
    /** Echoes the first byte only. */
    private static final String ONE_BYTE = "socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close 'SYSTEM:head -c 1'";
    private static final List<String> COUNTS = List.of("total", "passed", "failed", "expected-failure", "flaky",
            "warning", "skipped", "not-run", "unsupported");

    @TempDir
    Path runner;

    @Test
    void aPassingCheckGivesTheReportDirectoryItsCountsAndAPassedSummary() throws Exception {
        ActionSteps.Result r = ActionSteps.run(home(), Map.of("server-cmd", SOCAT, "cases", "echo.hello,echo.empty",
                "clients", "java,socat", "bundle", TestBundle.tarball().toString()), runner);
        assertThat(r.statuses()).as(r.log()).containsExactly(0, 0);
        Path reports = Path.of(r.outputs().get("report-dir"));
        assertThat(reports).isEqualTo(runner.resolve("workspace/uds-interop-report"));
        assertCountsAreTheReports(r, reports);
        assertThat(r.outputs().get("passed")).isNotEqualTo("0");
        assertThat(r.summary()).startsWith("## uds-interop: passed (0 failed of " + r.outputs().get("total") + ")")
                .contains("| socat | java | unix | local |").doesNotContain("Needs a look");
    }

    @Test
    void aFailingCheckFailsTheStepAndItsSummaryListsTheFailures() throws Exception {
        ActionSteps.Result r = ActionSteps.run(home(), Map.of("server-cmd", ONE_BYTE, "cases", "echo.hello-newline",
                "clients", "java", "out", "reports/one-byte", "bundle", TestBundle.tarball().toString()), runner);
        assertThat(r.statuses()).as(r.log()).containsExactly(0, 1);
        Path reports = Path.of(r.outputs().get("report-dir"));
        assertThat(reports).isEqualTo(runner.resolve("workspace/reports/one-byte"));
        assertCountsAreTheReports(r, reports);
        assertThat(r.outputs().get("failed")).isEqualTo("1");
        assertThat(r.summary()).startsWith("## uds-interop: FAILED (1 failed of 1)")
                .contains("### Needs a look").contains("| failed | `socat / java / unix / local / echo.hello-newline` | ");
    }

    @Test
    void aCaseTheServerOrTheClientDeclaresUnsupportedIsCountedInItsOwnOutput() throws Exception {
        // The bundled Java server on a seqpacket socket: OpenBSD nc declares it has no SOCK_SEQPACKET; the server is
        // declared without descriptor passing (server-unsupported), which it has, so the JDK client's fdpass case is
        // unsupported by the server's word alone.
        String server = Path.of(System.getProperty("java.home"), "bin", "java") + " -jar "
                + home().resolve("java-server/target/uds-echo-server.jar") + " --unix {unix} --seqpacket {seqpacket}";
        ActionSteps.Result r = ActionSteps.run(home(), Map.of("server-cmd", server, "server-unsupported", "fdpass@seqpacket",
                "cases", "echo.hello-newline,seqpacket.size.1,fdpass.seqpacket.one", "clients", "nc,java",
                "bundle", TestBundle.tarball().toString()), runner);
        assertThat(r.statuses()).as(r.log()).containsExactly(0, 0);
        Path reports = Path.of(r.outputs().get("report-dir"));
        assertCountsAreTheReports(r, reports);
        assertThat(r.outputs()).containsEntry("unsupported", "3").containsEntry("passed", "3").containsEntry("total", "6");
        assertThat(r.summary()).contains("| unsupported |").doesNotContain("Needs a look");
        JsonNode javaFdpass = Json.STRICT.readTree(reports.resolve("report.json").toFile()).path("results").valueStream()
                .filter(n -> n.path("client").asText().equals("java") && n.path("case").asText().startsWith("fdpass."))
                .findFirst().orElseThrow();
        assertThat(javaFdpass.path("status").asText()).isEqualTo("unsupported");
        assertThat(javaFdpass.path("failure").path("message").asText()).contains("the server declares fdpass unsupported");
    }

    private static void assertCountsAreTheReports(ActionSteps.Result r, Path reports) throws Exception {
        JsonNode summary = Json.STRICT.readTree(reports.resolve("report.json").toFile()).path("summary");
        for (String count : COUNTS) {
            assertThat(r.outputs().get(count)).as(count).isEqualTo(summary.path(count).asText());
        }
        assertThat(r.summary()).isEqualTo(Files.readString(reports.resolve("summary.md")));
    }

    private static Path home() {
        return Path.of(System.getProperty("uds.home"));
    }
}
