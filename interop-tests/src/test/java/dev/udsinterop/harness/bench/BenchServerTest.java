// SPDX-License-Identifier: Apache-2.0
// BenchServerTest: --server-cmd becomes a participant on the transports its placeholders name, and nothing else.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchServerTest {

    @Test
    void aCommandIsMeasuredOnTheTransportsItsPlaceholdersName() {
        List<ServerSpec> unixOnly = List.of(BenchCommand.ofCommand("mine", "socat 'UNIX-LISTEN:{unix},fork' EXEC:cat"));
        assertThat(BenchRun.ids(unixOnly)).containsExactly("mine");
        assertThat(BenchRun.spec(unixOnly, "mine", Transport.UNIX).command())
                .containsExactly("socat", "UNIX-LISTEN:{unix},fork", "EXEC:cat");
        assertThat(BenchRun.spec(unixOnly, "mine", Transport.TCP)).isNull();
        assertThat(unixOnly.get(0).image()).as("a command here is not run in a container").isNull();
        List<ServerSpec> both = List.of(BenchCommand.ofCommand("x", "srv --unix {unix} --tcp 127.0.0.1:{port}"));
        assertThat(List.of(BenchRun.spec(both, "x", Transport.UNIX), BenchRun.spec(both, "x", Transport.TCP)))
                .doesNotContainNull();
    }

    @Test
    void aCommandWithoutPlaceholdersIsRefusedWithItsText() {
        assertThatThrownBy(() -> BenchCommand.ofCommand("cat", "cat"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--server-cmd 'cat': want a command with {unix} and/or {port}");
    }

    @Test
    void workloadsAndMetricsAreLookedUpByTheirReportNames() {
        assertThat(Workload.of("fanin")).isEqualTo(Workload.FANIN);
        assertThatThrownBy(() -> Workload.of("burst")).hasMessageContaining("unknown workload 'burst'");
        assertThat(Workload.PINGPONG.loadgenArguments(true, "local")).containsSequence("-workload", "pingpong")
                .containsSequence("-duration", Workload.QUICK_MAX_TIME);
        assertThat(Workload.SEED.loadgenArguments(false, "container")).containsSequence("-duration", Workload.CONTAINER_MAX_TIME);
        assertThat(Workload.SEED.loadgenArguments(false, "local")).containsSequence("-duration", Workload.MAX_TIME);
        assertThat(Workload.values()).filteredOn(Workload::inContainers).containsExactly(Workload.SEED, Workload.PINGPONG);
        assertThat(Workload.IDLE.primary()).isEqualTo(Metric.RSS_PER_CONNECTION);
    }
}
