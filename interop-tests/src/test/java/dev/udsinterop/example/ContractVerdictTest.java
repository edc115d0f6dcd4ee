// SPDX-License-Identifier: Apache-2.0
// ContractVerdictTest: contract classes run through the JUnit Platform: a broken server fails, SHOULD cases abort, options narrow.
package dev.udsinterop.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.udsinterop.harness.contract.ContractOptions;
import dev.udsinterop.harness.contract.EchoServerContract;
import dev.udsinterop.harness.server.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Uses only the public API (the contract, its options, ServerSpec), as a user's build would. */
class ContractVerdictTest {
    @TempDir
    static Path reports;

    /** A server that cuts every echo to its first byte: every echo case must fail (echo.empty on the probe after it). */
    static class OneByteServer implements EchoServerContract {
        @Override
        public ServerSpec server() {
            return ServerSpec.command("socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close 'SYSTEM:head -c 1'");
        }

        @Override
        public ContractOptions options() {
            return ContractOptions.DEFAULTS.withCases("echo.hello-newline", "echo.empty").withClients("java", "nc");
        }
    }

    /** socat with the SHOULD cases only, writing its reports. */
    static class SocatShouldCases implements EchoServerContract {
        @Override
        public ServerSpec server() {
            return ServerSpec.command("socat -t 30 UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat");
        }

        @Override
        public ContractOptions options() {
            return ContractOptions.DEFAULTS.withCases("lifecycle.regular-file-refused", "lifecycle.sigterm")
                    .withReports(reports.resolve("should"));
        }
    }

    /** The same, strict. */
    static class StrictSocat extends SocatShouldCases {
        @Override
        public ContractOptions options() {
            return super.options().withStrict(true).withReports(null);
        }
    }

    private record Outcome(String name, TestExecutionResult.Status status, String message) {
    }

    private static List<Outcome> run(Class<?> contract) {
        List<Outcome> outcomes = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            outcomes.add(new Outcome(id.getDisplayName(), result.getStatus(),
                                    result.getThrowable().map(Throwable::getMessage).orElse("")));
                        }
                    }
                });
        return outcomes;
    }

    @Test
    void aBrokenServerFailsItsTestsNamedClientTransportCase() {
        List<Outcome> outcomes = run(OneByteServer.class);
        assertThat(outcomes).extracting(Outcome::name).containsExactlyInAnyOrder(
                "java / unix / echo.empty", "java / unix / echo.hello-newline",
                "nc / unix / echo.empty", "nc / unix / echo.hello-newline");
        assertThat(outcomes).extracting(Outcome::status).containsOnly(TestExecutionResult.Status.FAILED);
        assertThat(outcomes).filteredOn(o -> o.name().endsWith("echo.empty")) // its echo is right; the probe after it is not
                .allSatisfy(o -> assertThat(o.message()).containsPattern("probe java unix:\\S+: after the case: "));
        assertThat(outcomes).filteredOn(o -> o.name().endsWith("echo.hello-newline"))
                .allSatisfy(o -> {
                    assertThat(o.status()).isEqualTo(TestExecutionResult.Status.FAILED);
                    assertThat(o.message()).contains("MUST").contains("first differing offset: 1");
                });
    }

    @Test
    void aFailedShouldCaseAbortsUnlessStrictAndTheReportsAreWritten() throws Exception {
        List<Outcome> outcomes = run(SocatShouldCases.class);
        assertThat(outcomes).containsExactlyInAnyOrder(
                new Outcome("java / unix / lifecycle.sigterm", TestExecutionResult.Status.SUCCESSFUL, ""),
                outcomes.stream().filter(o -> o.name().endsWith("regular-file-refused")).findFirst().orElseThrow());
        Outcome should = outcomes.stream().filter(o -> o.name().endsWith("regular-file-refused")).findFirst().orElseThrow();
        assertThat(should.status()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(should.message()).contains("warning (a SHOULD requirement)").contains("started listening where a regular file was");
        assertThat(Files.readString(reports.resolve("should").resolve("report.json"))).contains("\"warning\"");

        assertThat(run(StrictSocat.class)).filteredOn(o -> o.name().endsWith("regular-file-refused"))
                .extracting(Outcome::status).containsExactly(TestExecutionResult.Status.FAILED);
    }
}
