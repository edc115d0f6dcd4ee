// SPDX-License-Identifier: Apache-2.0
// StaleRestart: a server killed with SIGKILL leaves its socket file; the next server on that path must recover it.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.nio.file.Files;
import java.nio.file.LinkOption;

/** {@code stale-restart} (unix). */
final class StaleRestart implements Scenario {
    @Override
    public String name() {
        return "stale-restart";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        RunningServer killed = context.startFresh();
        killed.signal("KILL");
        if (killed.exitStatus(context.timeout()) == null) {
            return Failure.of(FailureKind.ERROR, "kill", context.server().id(), killed.endpoint(), "SIGKILL: still running");
        }
        if (!Files.exists(killed.socket(), LinkOption.NOFOLLOW_LINKS)) {
            return Failure.of(FailureKind.ERROR, "kill", context.server().id(), killed.endpoint(),
                    "no socket file left after SIGKILL: nothing stale to recover, so the case cannot judge the server");
        }
        ServerProcess next = context.launch(killed.socket());
        try {
            next.awaitReady(Transport.UNIX, context.timeout());
        } catch (ServerException e) {
            return Failure.of(FailureKind.NO_START, "start", context.server().id(), killed.endpoint(),
                    "a new server on the stale path: " + e.getMessage());
        }
        return Health.check(next, "the new server on the stale path");
    }
}
