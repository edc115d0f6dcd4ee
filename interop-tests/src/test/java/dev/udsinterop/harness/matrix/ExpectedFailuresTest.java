// SPDX-License-Identifier: Apache-2.0
// ExpectedFailuresTest: rules match by server and globs, and a malformed file is refused by name.
package dev.udsinterop.harness.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.FixtureException;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.peer.JdkPeer;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpectedFailuresTest {
    private final Manifest manifest = Manifest.load(ProjectLayout.fromSystemProperty().manifest());

    private MatrixEntry entry(String server, Transport transport, String caseId) {
        return new MatrixEntry(ServerSpec.of(server, server, List.of(server, ServerSpec.UNIX, ServerSpec.PORT)), new JdkPeer(manifest.payloads()), transport,
                "local", manifest.find(caseId).orElseThrow());
    }

    @Test
    void matchesServerCaseGlobsAndOptionalTransport(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.json"), """
                {"schemaVersion": 1, "expectedFailures": [
                  {"server": "seed", "cases": "echo.size.4097,order.*", "reason": "reads once"},
                  {"server": "seed", "cases": "echo.hello", "transport": "tcp", "reason": "tcp only"}]}
                """);
        ExpectedFailures rules = ExpectedFailures.load(file);
        assertThat(rules.reason(entry("seed", Transport.UNIX, "echo.size.4097"))).contains("reads once");
        assertThat(rules.reason(entry("seed", Transport.UNIX, "order.paced-writes"))).contains("reads once");
        assertThat(rules.reason(entry("seed", Transport.UNIX, "echo.size.4096"))).isEmpty();
        assertThat(rules.reason(entry("java", Transport.UNIX, "echo.size.4097"))).isEmpty();
        assertThat(rules.reason(entry("seed", Transport.TCP, "echo.hello"))).contains("tcp only");
        assertThat(rules.reason(entry("seed", Transport.UNIX, "echo.hello"))).isEmpty();
    }

    @Test
    void theBundledListOnlyNamesTheSeedServer() {
        ExpectedFailures bundled = ExpectedFailures.load(ProjectLayout.fromSystemProperty().expectedFailures());
        for (var c : manifest.cases()) {
            assertThat(bundled.reason(entry("java", Transport.UNIX, c.id()))).as("java / %s", c.id()).isEmpty();
            assertThat(bundled.reason(entry("go-echo", Transport.TCP, c.id()))).as("go-echo / %s", c.id()).isEmpty();
        }
    }

    @Test
    void everyBundledRuleNamesTheKindItExpectsSoThatAnErrorOfTheHarnessOrAClientIsNeverOneOfThem() throws Exception {
        JsonNode rules = new ObjectMapper().readTree(ProjectLayout.fromSystemProperty().expectedFailures().toFile()).get("expectedFailures");
        for (JsonNode rule : rules) {
            assertThat(rule.path("kind").asText(null)).as("the rule for %s", rule.get("cases").asText()).isNotNull().isNotEqualTo("error");
        }
    }

    @Test
    void refusesARuleWithoutAReason(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.json"),
                "{\"schemaVersion\": 1, \"expectedFailures\": [{\"server\": \"seed\", \"cases\": \"*\"}]}");
        assertThatThrownBy(() -> ExpectedFailures.load(file)).isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("expected failures " + file + ": every rule needs cases and reason");
    }

    @Test
    void aRuleWithoutServerAppliesToAnyServer(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("known.json"), """
                {"schemaVersion": 1, "expectedFailures": [{"cases": "lifecycle.*", "reason": "no signal handling"}]}
                """);
        ExpectedFailures rules = ExpectedFailures.load(file);
        assertThat(rules.source()).isEqualTo(file);
        assertThat(rules.reason(entry("mine", Transport.UNIX, "lifecycle.sigterm"))).contains("no signal handling");
        assertThat(rules.reason(entry("mine", Transport.UNIX, "echo.hello"))).isEmpty();
    }
}
