// SPDX-License-Identifier: Apache-2.0
// Health: does a server under test still serve? A probe echo, and if it fails, whether the server died.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.report.Failure;
import dev.udsinterop.harness.report.FailureKind;
import java.time.Duration;

/** The health check after a case: a probe echo; a server that fails it and has exited has {@code server-died}. */
public final class Health {
    /** How long a server that failed the probe gets to finish dying, so the verdict says it died. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(1);

    private Health() {
    }

    /**
     * Probes {@code server}; returns null if it echoed, else the failure in the context {@code context}
     * (e.g. "after the case"), with the server's state and stderr as evidence.
     */
    public static Failure check(ScenarioContext.Started server, String context) throws InterruptedException {
        Failure probe = Probe.echo(server.endpoint(), context);
        if (probe == null) {
            return null;
        }
        Integer status = server.process().exitStatus(EXIT_WAIT);
        if (status != null) {
            probe = Failure.of(FailureKind.SERVER_DIED, "probe", server.process().id(), server.endpoint(),
                    context + ": the server exited with status " + status).withDetail(probe.message());
        }
        return probe.withDetail(server.process().evidence());
    }
}
