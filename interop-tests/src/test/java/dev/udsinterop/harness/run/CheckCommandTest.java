// SPDX-License-Identifier: Apache-2.0
// CheckCommandTest: `uds-interop check` against socat and misbehaving servers: exit codes, warnings, known failures, flaky, ceiling.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small case selections only: the full matrix of the bundled servers already covers every
 * case; these tests cover what check adds.
 */
class CheckCommandTest {
    /** The command, which check must pass. */
    static final String SOCAT = "socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat";
    /** The same with time for a slow-starting cat after the client's EOF (socat's -t is 0.5 s): for the other tests. */
    static final String PATIENT_SOCAT = "socat -t 30 UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat";

    @TempDir
    Path dir;

    static Report report(Path out) throws Exception {
        return JsonReport.read(out.resolve(JsonReport.FILE_NAME));
    }

    static Map<String, Status> statuses(Report report) {
        return report.results().stream().collect(Collectors.toMap(CaseResult::caseId, CaseResult::status, (a, b) -> a));
    }

    @Test
    void socatPassesEveryRequiredCaseAndWarnsOnTheShouldCases() throws Exception {
        Path out = dir.resolve("socat");
        int status = HarnessCommand.execute("check", "--server-cmd", SOCAT, "--clients", "java",
                "--cases", "echo.hello,lifecycle", "--out", out.toString());
        assertThat(status).isZero();
        Map<String, Status> byCase = statuses(report(out));
        assertThat(byCase).containsEntry("echo.hello", Status.PASSED)
                .containsEntry("lifecycle.sigterm", Status.PASSED)
                .containsEntry("lifecycle.sigint", Status.PASSED)
                .containsEntry("lifecycle.stale-socket-recovered", Status.PASSED)
                .containsEntry("lifecycle.directory-refused", Status.PASSED)
                .containsEntry("lifecycle.regular-file-refused", Status.WARNING)
                .containsEntry("lifecycle.live-server-kept", Status.WARNING);
        assertThat(report(out).summary().warning()).isEqualTo(2);
        assertThat(report(out).results()).allMatch(r -> r.server().equals("socat") && r.transport().equals("unix"));
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("warning: a SHOULD requirement did not hold");
        assertThat(Files.readString(out.resolve("report.html"))).contains("PASSED: no unexpected failures (2 SHOULD warnings)");

        int strict = HarnessCommand.execute("check", "--server-cmd", SOCAT, "--clients", "java", "--strict",
                "--cases", "lifecycle.regular-file-refused", "--out", dir.resolve("strict").toString());
        assertThat(strict).as("--strict fails on a should case").isEqualTo(1);
    }

    @Test
    void theBundledServersPassFromTheirCommandLinesAlone() throws Exception {
        var layout = dev.udsinterop.harness.ProjectLayout.fromSystemProperty();
        String java = Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + layout.javaServerJar()
                + " --unix {unix} --tcp 127.0.0.1:{port}";
        String go = layout.goBinary("echo-server") + " -unix {unix} -tcp 127.0.0.1:{port}";
        for (String command : List.of(java, go)) {
            Path out = dir.resolve(command.contains("-jar") ? "java" : "go");
            assertThat(HarnessCommand.execute("check", "--server-cmd", command, "--clients", "java,go-interop",
                    "--cases", "echo.size.4097,concurrency.64x1k,lifecycle.sigterm,lifecycle.regular-file-refused",
                    "--strict", "--out", out.toString())).as(command).isZero();
            assertThat(report(out).results()).extracting(CaseResult::transport).contains("unix", "tcp");
        }
    }

    @Test
    void aServerThatListensAndAnnouncesAnotherPathFailsEveryCaseAsWrongPath() throws Exception {
        // A correct server, told to listen at {unix}x: its ready line says so, truthfully, but it is not {unix}.
        var layout = dev.udsinterop.harness.ProjectLayout.fromSystemProperty();
        Path out = dir.resolve("elsewhere");
        int status = HarnessCommand.execute("check", "--server-cmd", layout.goBinary("echo-server") + " -unix {unix}x",
                "--name", "elsewhere", "--clients", "java", "--cases", "echo.hello,lifecycle", "--out", out.toString());
        assertThat(status).isEqualTo(1);
        List<CaseResult> results = report(out).results();
        assertThat(results).extracting(CaseResult::caseId).contains("echo.hello", "lifecycle.sigterm",
                "lifecycle.stale-socket-recovered", "lifecycle.directory-refused", "lifecycle.fd-baseline");
        for (CaseResult r : results) {
            assertThat(r.status()).as(r.caseId()).isIn(Status.FAILED, Status.WARNING);
            assertThat(r.failure().kind()).as(r.caseId() + ": " + r.failure().message()).isEqualTo(FailureKind.WRONG_PATH);
            assertThat(r.failure().message()).as(r.caseId()).matches("start elsewhere unix:(/\\S+)/echo\\.sock: its ready line "
                    + "announces unix:\\1/echo\\.sockx, not the socket path it was given");
        }
    }

    @Test
    void aServerThatNeverStartsIsExit2WithItsStderr() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = HarnessCommand.execute("check", "--server-cmd", "sh -c 'echo cannot bind \"$0\" >&2; exit 3' {unix}",
                    "--out", dir.resolve("never").toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("uds-interop: check: the server did not start on unix: start sh unix:/")
                .contains("/echo.sock: exited with status 3")
                .contains("stderr: cannot bind /");
        assertThat(dir.resolve("never").resolve(JsonReport.FILE_NAME)).doesNotExist();

        assertThat(HarnessCommand.execute("check", "--server-cmd", "sh -c 'exec sleep 60' {unix}", "--timeout-scale", "0.01",
                "--out", dir.resolve("silent").toString())).as("a server that never listens (300 ms here)").isEqualTo(2);
    }

    @Test
    void usageErrorsAreExit2() {
        assertThat(HarnessCommand.execute("check")).as("no --server-cmd").isEqualTo(2);
        assertThat(HarnessCommand.execute("check", "--server-cmd", "socat")).as("no placeholder").isEqualTo(2);
        assertThat(HarnessCommand.execute("check", "--server-cmd", "'socat")).as("unterminated quote").isEqualTo(2);
        assertThat(HarnessCommand.execute("check", "--server-cmd", SOCAT, "--cases", "nothing.like.this")).isEqualTo(2);
        assertThat(HarnessCommand.execute("check", "--server-cmd", SOCAT, "--shard", "4/3")).isEqualTo(2);
        assertThat(HarnessCommand.execute("check", "--server-cmd", SOCAT, "--max-time", "soon")).isEqualTo(2);
    }

    @Test
    void listSelectsByIdPrefixOrGlobAndByTransportOfThePlaceholders() {
        String list = captureOut(() -> HarnessCommand.execute("check", "--server-cmd", SOCAT, "--list",
                "--cases", "echo.size,*.sigterm", "--clients", "nc"));
        assertThat(list.lines()).containsExactly(
                "socat / nc / unix / local / echo.size.4095",
                "socat / nc / unix / local / echo.size.4096",
                "socat / nc / unix / local / echo.size.4097",
                "socat / nc / unix / local / echo.size.64k",
                "socat / nc / unix / local / echo.size.64k.no-half-close",
                "socat / nc / unix / local / echo.size.1m",
                "socat / nc / unix / local / echo.size.16m");
        String both = captureOut(() -> HarnessCommand.execute("check", "--server-cmd", "srv {unix} 127.0.0.1:{port}",
                "--list", "--name", "mine", "--cases", "echo.hello", "--clients", "java"));
        assertThat(both.lines()).containsExactly(
                "mine / java / unix / local / echo.hello", "mine / java / unix / local / echo.hello.no-half-close",
                "mine / java / tcp / local / echo.hello", "mine / java / tcp / local / echo.hello.no-half-close");
    }

    @Test
    void knownFailuresAreExpectedAndOneThatPassesFailsTheRun() throws Exception {
        Path known = Files.writeString(dir.resolve("known.json"), """
                {"schemaVersion": 1, "expectedFailures": [
                  {"cases": "lifecycle.regular-file-refused", "reason": "socat's unlink-early replaces any file"},
                  {"cases": "echo.empty", "reason": "not a bug at all"}]}
                """);
        Path out = dir.resolve("known");
        int status = HarnessCommand.execute("check", "--server-cmd", PATIENT_SOCAT, "--clients", "java", "--strict",
                "--cases", "lifecycle.regular-file-refused,echo.empty", "--known-failures", known.toString(),
                "--out", out.toString());
        assertThat(status).isEqualTo(1);
        Report report = report(out);
        assertThat(statuses(report)).containsEntry("lifecycle.regular-file-refused", Status.EXPECTED_FAILURE)
                .containsEntry("echo.empty", Status.FAILED);
        CaseResult passed = report.results().stream().filter(r -> r.caseId().equals("echo.empty")).findFirst().orElseThrow();
        assertThat(passed.failure().message()).startsWith("run java unix: expected to fail (not a bug at all) but passed: remove the entry from "
                + known);
    }

    @Test
    void aCaseThatPassesOnARetryIsFlakyInEveryFormat() throws Exception {
        // Cuts the first connection that sends anything to one byte, then echoes properly.
        Path flag = dir.resolve("flag");
        String server = "socat -t 30 UNIX-LISTEN:{unix},fork 'SYSTEM:[ -e " + flag + " ] && exec cat; B=$(head -c 1); "
                + "[ -z $B ] || { touch " + flag + "; printf %s $B; }'";
        Path out = dir.resolve("flaky");
        int status = HarnessCommand.execute("check", "--server-cmd", server, "--clients", "java", "--cases", "echo.hello",
                "--retries", "2", "--out", out.toString());
        assertThat(status).isZero();
        CaseResult r = report(out).results().get(0);
        assertThat(r.status()).isEqualTo(Status.FLAKY);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.failure().message()).isNotBlank();
        assertThat(report(out).summary().flaky()).isEqualTo(1);
        assertThat(Files.readString(out.resolve("junit.xml"))).contains("<flakyFailure").doesNotContain("<failure");
        assertThat(Files.readString(out.resolve("report.html"))).contains("1 flaky");
    }

    @Test
    void theTimeCeilingHoldsWhateverTheScale() throws Exception {
        Path out = dir.resolve("ceiling");
        int status = HarnessCommand.execute("check", "--server-cmd", PATIENT_SOCAT, "--clients", "java", "--cases", "echo.hello",
                "--timeout-scale", "100", "--max-time", "1ms", "--out", out.toString());
        assertThat(status).isEqualTo(1);
        assertThat(report(out).results()).isNotEmpty()
                .anyMatch(r -> r.status() == Status.FAILED && r.failure().message().contains("time limit of 1ms"));
    }

    @Test
    void afterMaxFailuresTheOtherCasesAreNotRunWithTheReasonInEveryFormat() throws Exception {
        // Cuts every echo to one byte: every echo case fails.
        String oneByte = "socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close 'SYSTEM:head -c 1'";
        Path out = dir.resolve("max-failures");
        String console = captureOut(1, () -> HarnessCommand.execute("check", "--server-cmd", oneByte, "--clients", "java",
                "--cases", "echo.size,echo.hello", "--max-failures", "2", "--out", out.toString()));
        Report report = report(out);
        List<CaseResult> results = report.results();
        assertThat(results).as("every selected case has its result").hasSize(9);
        assertThat(results.subList(0, 2)).extracting(CaseResult::status).containsOnly(Status.FAILED);
        assertThat(results.subList(2, results.size())).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(Status.NOT_RUN);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.NOT_RUN);
            assertThat(r.failure().message()).isEqualTo("run java unix: not run: the run stopped after 2 unexpected failures (--max-failures 2)");
        });
        assertThat(report.summary().failed()).isEqualTo(2);
        assertThat(report.summary().notRun()).isEqualTo(7);
        assertThat(console).contains("uds-interop: 2 unexpected failures (--max-failures 2): the other 7 cases are not run")
                .contains("2 failed, 0 expected failures, 0 skipped, 7 not run in ");
        assertThat(Files.readString(out.resolve("junit.xml")))
                .contains("<skipped message=\"run java unix: not run: the run stopped after 2 unexpected failures (--max-failures 2)\"");
        assertThat(Files.readString(out.resolve("report.html"))).contains("7 not-run");

        assertThat(HarnessCommand.execute("check", "--server-cmd", oneByte, "--max-failures", "-1", "--out",
                dir.resolve("negative").toString())).as("a negative limit").isEqualTo(2);
    }

    @Test
    void runSharesMaxFailuresAndExpectedFailuresDoNotCount() throws Exception {
        Path out = dir.resolve("run");
        assertThat(HarnessCommand.execute("run", "--server", "go-seed", "--client", "java", "--transport", "unix",
                "--runtime", "local", "--case", "echo.size.*", "--max-failures", "1", "--out", out.toString())).isZero();
        assertThat(report(out).summary().expectedFailure()).as("the seed server's known bugs").isPositive();
        assertThat(report(out).summary().notRun()).isZero();
        assertThat(HarnessCommand.execute("run", "--max-failures", "-1")).as("a negative limit").isEqualTo(2);
    }

    static String captureOut(java.util.function.IntSupplier command) {
        return captureOut(0, command);
    }

    static String captureOut(int status, java.util.function.IntSupplier command) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(command.getAsInt()).isEqualTo(status);
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
