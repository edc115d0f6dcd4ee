// SPDX-License-Identifier: Apache-2.0
// ServerUnsupportedTest: check --server-unsupported: a real server that passes no descriptors fails the fdpass cases unless it declares them.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.container.Docker;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.Capabilities;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C epoll server serves seqpacket and datagram sockets with plain reads and writes, which drop passed
 * descriptors: checked as it is, its fdpass cases fail; declared with {@code --server-unsupported}, they are
 * {@code unsupported} (the server's declaration, in the capability table too) and the check passes, also with
 * {@code --require-all}, as under {@code CI=true}. A declaration for another transport covers nothing here. A declared
 * feature holds for its scenario cases too (abstract.no-file), and a server image (the mutant that drops descriptors)
 * declares the same way.
 */
class ServerUnsupportedTest {
    private static final String CASES = "seqpacket.size.1,fdpass.seqpacket";

    @TempDir
    Path dir;

    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();

    private int check(String name, String... declaration) {
        List<String> args = new ArrayList<>(List.of("check", "--server-cmd", layout.cEpollServer()
                + " --seqpacket {seqpacket} --datagram {datagram}", "--name", "c-epoll", "--clients", "go-interop",
                "--cases", CASES, "--require-all", "--out", dir.resolve(name).toString()));
        args.addAll(List.of(declaration));
        return HarnessCommand.execute(args.toArray(String[]::new));
    }

    private Map<String, String> serverRow(Report report) {
        return Capabilities.of(report.results()).stream().filter(r -> r.implementation().equals("server c-epoll"))
                .findFirst().orElseThrow().cells();
    }

    @Test
    void aServerWithoutDescriptorPassingFailsTheFdpassCasesUnlessItDeclaresThem() throws Exception {
        assertThat(check("undeclared")).as("check of c-epoll, nothing declared").isEqualTo(1);
        Report undeclared = CheckCommandTest.report(dir.resolve("undeclared"));
        assertThat(undeclared.results()).filteredOn(r -> r.caseId().startsWith("fdpass.")).hasSize(3)
                .allSatisfy(r -> assertThat(r.status()).as(r.caseId()).isEqualTo(Status.FAILED));
        assertThat(serverRow(undeclared)).containsEntry("seqpacket", "yes").containsEntry("fdpass", "failed: descriptors");

        assertThat(check("declared", "--server-unsupported", "fdpass")).as("check of c-epoll declaring fdpass").isZero();
        Report declared = CheckCommandTest.report(dir.resolve("declared"));
        assertThat(declared.results()).filteredOn(r -> r.caseId().startsWith("fdpass.")).hasSize(3).allSatisfy(r -> {
            assertThat(r.status()).as(r.caseId()).isEqualTo(Status.UNSUPPORTED);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.UNSUPPORTED);
            assertThat(r.failure().message()).contains("the server declares fdpass unsupported on seqpacket");
        });
        assertThat(declared.results()).filteredOn(r -> r.caseId().equals("seqpacket.size.1"))
                .extracting(CaseResult::status).containsExactly(Status.PASSED);
        assertThat(declared.summary().unsupported()).isEqualTo(3);
        assertThat(declared.summary().failed()).isZero();
        assertThat(serverRow(declared)).containsEntry("seqpacket", "yes").containsEntry("fdpass", "unsupported");
        assertThat(Files.readString(dir.resolve("declared/report.html")))
                .contains("<th>server c-epoll</th><td class=\"yes\">yes</td>")
                .contains("<td class=\"unsupported\">unsupported</td>");

        assertThat(check("elsewhere", "--server-unsupported", "fdpass@unix,datagram@abstract"))
                .as("declared on other transports only").isEqualTo(1);
        assertThat(CheckCommandTest.report(dir.resolve("elsewhere")).summary().failed()).isEqualTo(3);
        assertThat(check("here", "--server-unsupported", "fdpass@seqpacket")).as("declared on seqpacket").isZero();
    }

    @Test
    void aDeclaredFeatureHoldsForItsScenarioCasesToo() throws Exception {
        // go-echo serves abstract names; declared without them, the no-file scenario is unsupported like the echo
        Path out = dir.resolve("abstract");
        assertThat(HarnessCommand.execute("check", "--server-cmd", layout.goBinary("echo-server") + " -unix {abstract}",
                "--server-unsupported", "abstract", "--clients", "java", "--cases", "abstract.stream,abstract.no-file",
                "--require-all", "--out", out.toString())).as("check of go-echo declaring abstract").isZero();
        Report report = CheckCommandTest.report(out);
        assertThat(CheckCommandTest.statuses(report)).containsOnly(Map.entry("abstract.stream", Status.UNSUPPORTED),
                Map.entry("abstract.no-file", Status.UNSUPPORTED));
        assertThat(report.results()).allSatisfy(r -> assertThat(r.failure().message())
                .contains("the server declares abstract unsupported on abstract"));
    }

    @Test
    void aServerImageDeclaresTheSameWay() throws Exception {
        String noDocker = Docker.unavailable();
        if (noDocker != null && !SkipPolicy.of(false).allowsSkips()) {
            throw new AssertionError("Docker is required here (" + SkipPolicy.of(false).requiredBy() + "): " + noDocker);
        }
        Assumptions.assumeTrue(noDocker == null, () -> "Docker is not available: " + noDocker);
        // the mutant that echoes the bytes but drops the descriptors, shipped as a user's image would be
        Path context = Files.createDirectories(dir.resolve("image/sock")).getParent();
        Files.copy(layout.goBinary("mutant-server"), context.resolve("mutant-server"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM scratch
                COPY --chown=10001:10001 sock /sock
                COPY mutant-server /
                USER 10001:10001
                ENTRYPOINT ["/mutant-server", "-bug", "drop-fds"]
                """);
        String tag = "uds-interop-test/drop-fds:" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            CommandRun build = CommandRun.of(context, List.of("docker", "build", "-q", "-t", tag, "."));
            assertThat(build.status()).as("docker build: %s", build.stderr()).isZero();
            Path out = dir.resolve("image-declared");
            assertThat(HarnessCommand.execute("check", "--server-image", tag, "--server-cmd", "--unix {unix} --seqpacket "
                    + "{seqpacket}", "--server-unsupported", "fdpass@seqpacket", "--clients", "go-interop", "--cases",
                    "seqpacket.size.1,fdpass.seqpacket.one", "--require-all", "--out", out.toString()))
                    .as("check of the image declaring fdpass on seqpacket").isZero();
            assertThat(CheckCommandTest.statuses(CheckCommandTest.report(out)))
                    .containsEntry("seqpacket.size.1", Status.PASSED).containsEntry("fdpass.seqpacket.one", Status.UNSUPPORTED);
        } finally {
            CommandRun.of(dir, List.of("docker", "rmi", "-f", tag));
        }
    }

    @Test
    void aDeclarationThatNamesNoFeatureOrTransportIsExit2NamingIt() {
        // each alone, and after a good one; --list: nothing would run if a bad value got through (status 0)
        for (String bad : List.of("fdpas", "fdpass@udp", "fdpass@", "@unix", "fdpass@unix@tcp", "", "seqpacket,fdpas")) {
            String named = bad.replaceFirst("^seqpacket,", "");
            PrintStream saved = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                status = HarnessCommand.execute("check", "--server-cmd", CheckCommandTest.SOCAT, "--server-unsupported",
                        bad, "--list", "--out", dir.resolve("bad").toString());
            } finally {
                System.setErr(saved);
            }
            assertThat(status).as("'%s'", bad).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).as("'%s'", bad)
                    .isEqualTo("uds-interop: check: --server-unsupported '" + named + "': want a feature (seqpacket, datagram, "
                            + "abstract, fdpass), alone or as FEATURE@TRANSPORT (unix, tcp, seqpacket, datagram, abstract)"
                            + System.lineSeparator());
        }
        assertThat(dir.resolve("bad")).doesNotExist();
    }
}
