// SPDX-License-Identifier: Apache-2.0
// Health: does a server under test still serve? A probe echo, and if it fails, whether the server died.
package dev.udsinterop.harness.scenario;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/** The health check after a case: a probe echo; a server that fails it and has exited has {@code server-died}. */
public final class Health {
    /** How long a server that failed the probe gets to finish dying, so the verdict says it died. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(1);
    /** How long a server may take to let go of a connection its client aborted, before the probe goes ahead anyway. */
    private static final Duration LET_GO = Duration.ofSeconds(2);

    private Health() {
    }

    /** Returns how many descriptors {@code server} holds now (-1 if that cannot be read), for {@link #awaitLetGo}. */
    public static long descriptors(RunningServer server) {
        return ProcFs.descriptors(server.pid());
    }

    /**
     * Waits until {@code server} holds no more descriptors than {@code before} (it has seen the abort of the
     * connection opened since, and closed it) or has exited, for at most {@link #LET_GO}. So a server that an
     * abort takes down is seen dead, not probed in the moment before it dies; the wait is on the server's own
     * state, not on time. Without /proc (or when the server is slow to close) the probe alone judges.
     */
    public static void awaitLetGo(RunningServer server, long before) {
        if (before < 0) {
            return;
        }
        try {
            await().atMost(LET_GO).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> !server.isAlive() || ProcFs.descriptors(server.pid()) <= before);
        } catch (ConditionTimeoutException e) {
            // still holding it: the probe decides
        }
    }

    /**
     * Probes {@code server}; returns null if it echoed, else the failure in the context {@code context}
     * (e.g. "after the case"), with the server's state and stderr as evidence.
     */
    public static Failure check(RunningServer server, String context) throws InterruptedException {
        // The probe is a stream echo: on a seqpacket, datagram or abstract transport, through the server's stream
        // socket on a path if it has one; without one, only whether it still runs.
        Endpoint target = server.endpoint() != null && server.endpoint().transport().isStream() ? server.endpoint()
                : server.endpoints().stream().filter(e -> e.transport().isStream()).findFirst().orElse(null);
        Failure probe = target != null ? Probe.echo(target, context) : server.isAlive() ? null
                : Failure.of(FailureKind.SERVER_DIED, "probe", server.id(), server.endpoint(), context + ": the server is not running");
        if (probe == null) {
            return null;
        }
        Integer status = server.exitStatus(EXIT_WAIT);
        if (status != null) {
            probe = Failure.of(FailureKind.SERVER_DIED, "probe", server.id(), server.endpoint(),
                    context + ": the server exited with status " + status).withDetail(probe.message());
        }
        return probe.withDetail(server.evidence());
    }
}
