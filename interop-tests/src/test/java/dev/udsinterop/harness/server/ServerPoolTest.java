// SPDX-License-Identifier: Apache-2.0
// ServerPoolTest: one server kept for the cases that share it, replaced when discarded, spares, nothing left running.
package dev.udsinterop.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ServerPoolTest {
    private static final ServerSpec SOCAT = ServerSpec.of("socat", "socat",
            List.of("socat", "UNIX-LISTEN:{unix},fork,unlink-early,unlink-close", "EXEC:cat"));

    @Test
    void keepsOneServerForTheCasesThatShareItAndReplacesItWhenDiscardedOrNotWanted() throws Exception {
        try (LocalRuntime servers = new LocalRuntime(); ServerPool<ServerProcess> pool = new ServerPool<>(servers, null)) {
            ServerProcess first = pool.acquire(SOCAT, Transport.UNIX);
            assertThat(Probe.echo(first.endpoint())).isNull();
            assertThat(pool.acquire(SOCAT, Transport.UNIX)).as("the same server for the next case").isSameAs(first);

            pool.discard();
            assertThat(first.isAlive()).isFalse();
            assertThat(first.socket().getParent()).as("its directory goes with it").doesNotExist();
            ServerProcess second = pool.acquire(SOCAT, Transport.UNIX);
            assertThat(second).isNotSameAs(first);
            assertThat(Probe.echo(second.endpoint())).isNull();

            ServerProcess other = pool.acquire(SOCAT.named("other"), Transport.UNIX);
            assertThat(second.isAlive()).as("another server replaces it").isFalse();
            assertThat(other.id()).isEqualTo("other");
        }
    }

    @Test
    void withSparesADiscardedServerIsReplacedByOneStartedMeanwhileAndNoSpareOutlivesThePool() throws Exception {
        List<ServerProcess> started = new CopyOnWriteArrayList<>();
        try (LocalRuntime servers = new LocalRuntime(); ExecutorService spares = Executors.newVirtualThreadPerTaskExecutor()) {
            ServerRuntime<ServerProcess> recorded = new ServerRuntime<>() {
                @Override
                public ServerProcess start(ServerSpec spec, Transport transport, List<String> extra) {
                    ServerProcess s = servers.start(spec, transport, extra);
                    started.add(s);
                    return s;
                }

                @Override
                public void remove(ServerProcess server) {
                    servers.remove(server);
                }
            };
            ServerPool<ServerProcess> pool = new ServerPool<>(recorded, spares);
            ServerProcess first = pool.acquire(SOCAT, Transport.UNIX);
            pool.discard();
            await("the spare, started before the next case asks").atMost(Duration.ofSeconds(30)).until(() -> started.size() == 2);
            ServerProcess second = pool.acquire(SOCAT, Transport.UNIX);
            assertThat(second).isSameAs(started.get(1)).isNotSameAs(first);
            assertThat(Probe.echo(second.endpoint())).isNull();

            pool.discard(); // starts another spare, which the close removes however late it comes up
            pool.close();
            spares.close();
            assertThat(started).hasSize(3).noneMatch(ServerProcess::isAlive);
        }
    }
}
