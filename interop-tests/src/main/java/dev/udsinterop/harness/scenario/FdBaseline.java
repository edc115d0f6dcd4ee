// SPDX-License-Identifier: Apache-2.0
// FdBaseline: after many connections have come and gone, the server holds no more descriptors than before them.
package dev.udsinterop.harness.scenario;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code fd-baseline}: params {@code connections}. The baseline is taken after one echo, so
 * that whatever a runtime opens lazily for its first connection counts as baseline.
 */
final class FdBaseline implements Scenario {
    @Override
    public String name() {
        return "fd-baseline";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        int connections = context.testCase().param("connections", 200);
        RunningServer server = context.startFresh();
        Failure probe = Health.check(server, "first echo");
        if (probe != null) {
            return probe;
        }
        long baseline = ProcFs.descriptors(server.pid());
        if (baseline < 0) {
            return Failure.of(FailureKind.ERROR, "count", context.server().id(), server.endpoint(),
                    "cannot count its descriptors (no /proc/PID/fd)");
        }
        for (int i = 0; i < connections; i++) {
            probe = Probe.echo(server.endpoint(), "connection " + i + " of " + connections, "connection " + i + "\n");
            if (probe != null) {
                return probe.withDetail(server.evidence());
            }
        }
        try {
            // A dead server's count reads -1: it ends the wait, and the probe says it died, not that it let go.
            await().atMost(context.timeout()).pollInterval(Duration.ofMillis(10))
                    .until(() -> !server.isAlive() || holdsAtMost(server, baseline));
        } catch (ConditionTimeoutException e) {
            return Failure.of(FailureKind.FD_LEAK, "count", context.server().id(), server.endpoint(), "holds "
                    + ProcFs.descriptors(server.pid()) + " descriptors after " + connections
                    + " connections closed; before them it held " + baseline);
        }
        return server.isAlive() ? null : Health.check(server, "after " + connections + " connections");
    }

    private static boolean holdsAtMost(RunningServer server, long baseline) {
        long now = ProcFs.descriptors(server.pid());
        return now >= 0 && now <= baseline;
    }
}
