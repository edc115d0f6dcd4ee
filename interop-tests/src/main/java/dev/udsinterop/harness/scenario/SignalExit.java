// SPDX-License-Identifier: Apache-2.0
// SignalExit: SIGTERM or SIGINT must end the server with status 0 and take its socket file with it.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.time.Duration;
import java.util.Set;

/**
 * {@code signal-exit}: params {@code signal} (TERM or INT) and {@code withinMs}, the grace
 * period the exit must come within (the server has no open connection to wait for). What
 * counts as a clean exit: {@link CleanStop}. In a container the signal goes to the server as PID 1 ({@code docker
 * kill -s}), and the socket file must be gone from the directory the clients mount.
 */
final class SignalExit implements Scenario {
    @Override
    public String name() {
        return "signal-exit";
    }

    @Override
    public Set<RuntimeKind> runtimes() {
        return Set.of(RuntimeKind.LOCAL, RuntimeKind.CONTAINER, RuntimeKind.CROSS_SERVER);
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        String signal = context.testCase().param("signal", "TERM");
        RunningServer server = context.startFresh();
        Failure probe = context.check(server, "before SIG" + signal);
        if (probe != null) {
            return probe;
        }
        Duration within = Duration.ofMillis(context.testCase().param("withinMs", (int) context.timeout().toMillis()));
        server.signal(signal);
        Integer status = server.exitStatus(within);
        if (status == null) {
            return Failure.of(FailureKind.TIMEOUT, "stop", context.server().id(), server.endpoint(), "SIG" + signal
                    + ": still running after " + within.toMillis() + " ms").withDetail(server.evidence());
        }
        if (!CleanStop.isClean(server, signal, status)) {
            return Failure.of(FailureKind.EXIT_STATUS, "stop", context.server().id(), server.endpoint(), "SIG" + signal
                    + ": exit status " + status + ", " + CleanStop.want(server, signal))
                    .withDetail(server.evidence());
        }
        if (context.transport() == Transport.UNIX && context.socketFileExists(server)) {
            return Failure.of(FailureKind.FILE_LEFT, "stop", context.server().id(), server.endpoint(), "SIG" + signal
                    + ": the socket file is still there after a clean exit");
        }
        return null;
    }
}
