// SPDX-License-Identifier: Apache-2.0
// LiveConflict: a second server on the path of a live one must refuse and leave the first one serving.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.report.Failure;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.transport.Transport;

/** {@code live-conflict} (unix). */
final class LiveConflict implements Scenario {
    @Override
    public Failure run(ScenarioContext context) throws Exception {
        ScenarioContext.Started first = context.startFresh();
        ServerProcess second = context.launch(first.process().launch().socket());
        if (second.awaitReadyOrExit(Transport.UNIX, context.timeout()) != null) {
            return Failure.of("listen " + context.server().id() + " " + first.endpoint().path()
                    + ": a second server started listening on the path of a live one");
        }
        Integer status = second.exitStatus(context.timeout());
        if (status == null || status == 0) {
            return Failure.of("listen " + context.server().id() + " " + first.endpoint().path() + ": the second server's exit status is "
                    + status + ", want non-zero").withDetail(second.evidence());
        }
        String probe = Probe.echo(first.endpoint());
        return probe == null ? null : Failure.of("the first server after the conflict: " + probe).withDetail(first.process().evidence());
    }
}
