// SPDX-License-Identifier: Apache-2.0
// LiveConflict: a second server on the path of a live one must refuse and leave the first one serving.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;

/** {@code live-conflict} (unix). */
final class LiveConflict implements Scenario {
    @Override
    public String name() {
        return "live-conflict";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        RunningServer first = context.startFresh();
        ServerProcess second = context.launch(first.socket());
        if (second.awaitReadyOrExit(Transport.UNIX, context.timeout()) != null) {
            return Failure.of(FailureKind.NOT_REFUSED, "listen", context.server().id(), first.endpoint(),
                    "a second server started listening on the path of a live one");
        }
        Integer status = second.exitStatus(context.timeout());
        if (status == null || status == 0) {
            return Failure.of(FailureKind.EXIT_STATUS, "listen", context.server().id(), first.endpoint(),
                    "the second server's exit status is " + status + ", want non-zero").withDetail(second.evidence());
        }
        return Health.check(first, "the first server after the conflict");
    }
}
