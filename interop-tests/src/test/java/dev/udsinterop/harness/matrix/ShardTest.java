// SPDX-License-Identifier: Apache-2.0
// ShardTest: shards cover the matrix exactly once, agree between calls, keep the matrix order and balance the cost.
package dev.udsinterop.harness.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.peer.JdkPeer;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {
    private final Manifest manifest = Manifest.load(ProjectLayout.fromSystemProperty().manifest());
    private final Matrix matrix = Matrix.product(
            List.of(ServerSpec.of("a", "a", List.of("a", "{unix}", "{port}")), ServerSpec.of("b", "b", List.of("b", "{unix}"))),
            List.of("local"), List.of(Transport.values()), List.<Peer>of(new JdkPeer(manifest.payloads())), manifest.cases());

    @Test
    void theShardsPartitionTheMatrixInItsOrderAndAreBalanced() {
        for (int n = 1; n <= 5; n++) {
            List<MatrixEntry> all = new ArrayList<>();
            long[] cost = new long[n];
            for (int i = 1; i <= n; i++) {
                List<MatrixEntry> slice = new Shard(i, n).of(matrix).entries();
                assertThat(slice).as("shard %d/%d is deterministic", i, n).isEqualTo(new Shard(i, n).of(matrix).entries());
                assertThat(slice).as("shard %d/%d keeps the matrix order", i, n)
                        .isSortedAccordingTo((x, y) -> matrix.entries().indexOf(x) - matrix.entries().indexOf(y));
                cost[i - 1] = slice.stream().mapToLong(e -> Shard.cost(e.testCase())).sum();
                all.addAll(slice);
            }
            assertThat(all).as("%d shards cover every entry exactly once", n).hasSameSizeAs(matrix.entries())
                    .containsExactlyInAnyOrderElementsOf(matrix.entries());
            long max = matrix.entries().stream().mapToLong(e -> Shard.cost(e.testCase())).max().orElseThrow();
            long spread = java.util.Arrays.stream(cost).max().orElseThrow() - java.util.Arrays.stream(cost).min().orElseThrow();
            assertThat(spread).as("%d shards differ by at most the dearest entry's cost", n).isLessThanOrEqualTo(max);
        }
    }

    @Test
    void parsesIOfN() {
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
        assertThatThrownBy(() -> Shard.parse("0/3")).hasMessage("shard 0/3: want I/N with 1 <= I <= N");
        assertThatThrownBy(() -> Shard.parse("two")).hasMessage("--shard two: want I/N, e.g. 2/3");
    }
}
