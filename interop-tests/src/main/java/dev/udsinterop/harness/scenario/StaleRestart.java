// SPDX-License-Identifier: Apache-2.0
// StaleRestart: a server killed with SIGKILL leaves its socket file; the next server on that path must recover it.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.util.Set;

/** {@code stale-restart} (unix); in a container the kill is {@code docker kill} and the file is in the socket directory. */
final class StaleRestart implements Scenario {
    @Override
    public String name() {
        return "stale-restart";
    }

    @Override
    public Set<RuntimeKind> runtimes() {
        return Set.of(RuntimeKind.LOCAL, RuntimeKind.CONTAINER, RuntimeKind.CROSS_SERVER);
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        RunningServer killed = context.startFresh();
        killed.signal("KILL");
        if (killed.exitStatus(context.timeout()) == null) {
            return Failure.of(FailureKind.ERROR, "kill", context.server().id(), killed.endpoint(), "SIGKILL: still running");
        }
        if (!context.socketFileExists(killed)) {
            return Failure.of(FailureKind.ERROR, "kill", context.server().id(), killed.endpoint(),
                    "no socket file left after SIGKILL: nothing stale to recover, so the case cannot judge the server");
        }
        RunningServer next;
        try {
            next = context.restartAt(killed);
        } catch (ServerException e) {
            return e.failure(FailureKind.NO_START, context.server().id(), killed.endpoint())
                    .withContext("a new server on the stale path");
        }
        return context.check(next, "the new server on the stale path");
    }
}
