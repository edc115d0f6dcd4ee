// SPDX-License-Identifier: Apache-2.0
// MatrixTest: the matrix is the product of its axes, scenario cases appear once per server and transport, selections filter.
package dev.udsinterop.harness.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.scenario.Scenarios;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixTest {
    private final List<InteropCase> cases = Manifest.load(ProjectLayout.fromSystemProperty().manifest()).cases();
    private final List<ServerSpec> servers = List.of(ServerSpec.of("a", "a", List.of("a", "{unix}", "{port}")), ServerSpec.of("b", "b", List.of("b", "{unix}", "{port}")));
    private final List<Peer> clients = List.of(named("nc"), named("java"), named("socat"));

    /** A client that is only a name: the matrix never runs it. */
    private static Peer named(String id) {
        return new Peer() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) {
                throw new UnsupportedOperationException("the matrix only arranges peers");
            }
        };
    }

    /** Returns how many echo cases apply to {@code transport}: the servers here have {unix} and {port} only. */
    private long echoOn(Transport transport) {
        return cases.stream().filter(c -> c.kind() == Kind.ECHO && c.appliesTo(transport.id())).count();
    }

    @Test
    void isTheProductOfEchoCasesAndClientsPlusEachScenarioOncePerServerAndTransport() {
        Matrix matrix = Matrix.product(servers, List.of("local"), List.of(Transport.values()), clients, cases);
        long scenarioTransports = cases.stream().filter(c -> c.kind() != Kind.ECHO)
                .filter(c -> Scenarios.runIn(RuntimeKind.LOCAL, c.scenario()))
                .mapToLong(c -> c.transports() == null ? 2 // the servers here have {unix} and {port} only
                        : c.transports().stream().filter(t -> t.equals("unix") || t.equals("tcp")).count()).sum();
        assertThat(matrix.size()).isEqualTo((int) (servers.size()
                * (clients.size() * (echoOn(Transport.UNIX) + echoOn(Transport.TCP)) + scenarioTransports)));
        assertThat(matrix.entries()).filteredOn(e -> e.testCase().kind() != Kind.ECHO)
                .allSatisfy(e -> assertThat(e.client().id()).isEqualTo(Matrix.SCENARIO_CLIENT))
                .allSatisfy(e -> assertThat(e.testCase().appliesTo(e.transport().id())).isTrue());
        assertThat(matrix.entries()).extracting(MatrixEntry::displayName).doesNotHaveDuplicates()
                .contains("a / nc / unix / local / echo.hello", "b / java / tcp / local / robustness.reset");
    }

    @Test
    void eachRuntimeHasEveryEchoCaseAndOnlyItsOwnScenariosAndTransports() {
        List<String> runtimes = java.util.Arrays.stream(RuntimeKind.values()).map(RuntimeKind::id).toList();
        Matrix matrix = Matrix.product(servers, runtimes, List.of(Transport.values()), clients, cases);
        for (RuntimeKind r : RuntimeKind.values()) {
            List<MatrixEntry> in = matrix.entries().stream().filter(e -> e.runtime().equals(r.id())).toList();
            long echo = r == RuntimeKind.CROSS_SERVER || r == RuntimeKind.CROSS_CLIENT ? echoOn(Transport.UNIX)
                    : echoOn(Transport.UNIX) + echoOn(Transport.TCP);
            assertThat(in).as(r.id()).filteredOn(e -> e.testCase().kind() == Kind.ECHO)
                    .hasSize((int) (servers.size() * clients.size() * echo));
            assertThat(in).as(r.id()).filteredOn(e -> e.testCase().kind() != Kind.ECHO)
                    .allSatisfy(e -> assertThat(r.covers(e.transport()) && Scenarios.runIn(r, e.testCase().scenario())).isTrue());
        }
        assertThat(matrix.entries()).extracting(MatrixEntry::displayName)
                .contains("a / java / unix / container / lifecycle.other-uid-refused",
                        "a / java / unix / cross-client / lifecycle.other-uid-mode-0666",
                        "a / java / unix / cross-server / lifecycle.stale-socket-recovered")
                .doesNotContain("a / java / unix / local / lifecycle.other-uid-refused",
                        "a / nc / tcp / cross-server / echo.hello",
                        "a / java / unix / container / lifecycle.fd-baseline");
    }

    @Test
    void keepsTheEntriesOfOneServerAndTransportTogether() {
        Matrix matrix = Matrix.product(servers, List.of("local"), List.of(Transport.values()), clients, cases);
        List<String> groups = matrix.entries().stream().map(MatrixEntry::serverGroup).distinct().toList();
        assertThat(groups).containsExactly("a / unix / local", "a / tcp / local", "b / unix / local", "b / tcp / local");
        List<String> runs = new java.util.ArrayList<>();
        matrix.entries().forEach(e -> {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(e.serverGroup())) {
                runs.add(e.serverGroup());
            }
        });
        assertThat(runs).as("each server group is one contiguous run").isEqualTo(groups);
    }

    @Test
    void selectsByCommaSeparatedGlobsPerAxis() {
        Matrix matrix = Matrix.product(servers, List.of("local"), List.of(Transport.values()), clients, cases);
        Matrix selected = matrix.select(new Selection(List.of("a"), Selection.split(List.of("nc,soc*")), List.of("unix"),
                List.of("echo.size.*")));
        assertThat(selected.entries()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.server().id()).isEqualTo("a");
            assertThat(e.client().id()).isIn("nc", "socat");
            assertThat(e.transport()).isEqualTo(Transport.UNIX);
            assertThat(e.testCase().id()).startsWith("echo.size.");
        });
        assertThat(selected.size()).isEqualTo(2 * cases.stream().filter(c -> c.id().startsWith("echo.size.")).count());
        assertThat(matrix.select(new Selection(List.of("nobody"), List.of(), List.of(), List.of())).size()).isZero();
    }
}
