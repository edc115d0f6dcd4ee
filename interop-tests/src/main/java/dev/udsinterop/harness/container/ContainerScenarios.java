// SPDX-License-Identifier: Apache-2.0
// ContainerScenarios: the lifecycle cases of the container runtimes: docker stop, docker kill -s INT, a stale socket after docker kill, another uid.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest's lifecycle scenarios as containers live them. {@code signal-exit}: TERM is
 * {@code docker stop} (SIGTERM to PID 1), INT {@code docker kill -s INT}; the server must
 * exit 0 within the case's grace and its socket file must be gone from the volume, as a
 * helper container sees it. {@code stale-restart}: after {@code docker kill} the file is
 * left; a new server container on the same volume and path must replace it and serve.
 * {@code other-uid}: a client container running as another uid must be refused by the
 * default mode and let in by {@code --mode 0666}.
 */
final class ContainerScenarios {
    private ContainerScenarios() {
    }

    static Exchange run(ContainerRuntime runtime, MatrixEntry entry, Duration timeout) throws InterruptedException {
        List<RunningServer> started = new ArrayList<>();
        try {
            Scope scope = new Scope(runtime, entry, timeout, started);
            Failure failure = switch (entry.testCase().scenario()) {
                case "signal-exit" -> signalExit(scope);
                case "stale-restart" -> staleRestart(scope);
                case "other-uid" -> otherUid(scope);
                default -> Failure.of("scenario " + entry.testCase().scenario() + " does not run in the "
                        + runtime.kind() + " runtime");
            };
            return new Exchange(0, 0, failure, List.of());
        } finally {
            started.forEach(RunningServer::close);
        }
    }

    /** One case's servers (all removed when it ends) and its probes. */
    private record Scope(ContainerRuntime runtime, MatrixEntry entry, Duration timeout, List<RunningServer> started) {
        String server() {
            return entry.server().id();
        }

        InteropCase testCase() {
            return entry.testCase();
        }

        RunningServer start(List<String> extra, String socketName) {
            RunningServer s = runtime.startServer(entry.server(), extra, socketName);
            started.add(s);
            return s;
        }

        Endpoint ready(RunningServer server) throws InterruptedException {
            return runtime.awaitReady(server, entry.server(), entry.client(), Transport.UNIX);
        }

        /** Returns null if the server at {@code endpoint} echoes for a client of {@code user} (null: the usual one), else why not. */
        String probe(Endpoint endpoint, String user) throws InterruptedException {
            return runtime.client(entry.client(), user, endpoint, null, timeout, true).probe();
        }
    }

    private static Failure signalExit(Scope s) throws InterruptedException {
        String signal = s.testCase().param("signal", "TERM");
        Duration within = Duration.ofMillis(s.testCase().param("withinMs", (int) s.timeout().toMillis()));
        String socket = "s" + s.runtime().session().next() + ".sock";
        RunningServer server = s.start(List.of(), socket);
        String probe = s.probe(s.ready(server), null);
        if (probe != null) {
            return Failure.of("before the signal: " + probe).withDetail(server.evidence());
        }
        String how = signal.equals("TERM") ? "docker stop" : "docker kill -s " + signal;
        if (signal.equals("TERM")) {
            server.stop(within); // SIGKILL once the grace is over: then the status says 137
        } else {
            server.signal(signal);
        }
        Integer status = server.exitStatus(within);
        if (status == null) {
            return Failure.of(FailureKind.TIMEOUT, how + " " + s.server() + ": still running after " + within.toMillis() + " ms")
                    .withDetail(server.evidence());
        }
        if (status != 0) {
            return Failure.of(FailureKind.EXIT_STATUS, how + " " + s.server() + ": exit status " + status + ", want 0").withDetail(server.evidence());
        }
        if (s.runtime().socketFileExists(socket)) {
            return Failure.of(FailureKind.FILE_LEFT, how + " " + s.server() + ": socket file " + Session.SOCKET_DIR + "/" + socket
                    + " still in the socket directory after a clean exit");
        }
        return null;
    }

    private static Failure staleRestart(Scope s) throws InterruptedException {
        String socket = "s" + s.runtime().session().next() + ".sock";
        RunningServer killed = s.start(List.of(), socket);
        s.ready(killed);
        killed.signal("KILL");
        if (killed.exitStatus(s.timeout()) == null) {
            return Failure.of("docker kill " + s.server() + ": still running");
        }
        if (!s.runtime().socketFileExists(socket)) {
            return Failure.of("no socket file left after docker kill at " + Session.SOCKET_DIR + "/" + socket
                    + ": nothing stale to recover, so the case cannot judge the server");
        }
        RunningServer next = s.start(List.of(), socket);
        Endpoint endpoint;
        try {
            endpoint = s.ready(next);
        } catch (ServerException e) {
            return Failure.of(FailureKind.NO_START, "a new server container on the stale path: " + e.getMessage());
        }
        String probe = s.probe(endpoint, null);
        return probe == null ? null : Failure.of("the new server on the stale path: " + probe).withDetail(next.evidence());
    }

    private static Failure otherUid(Scope s) throws InterruptedException {
        String mode = s.testCase().param("mode", null);
        String socket = "s" + s.runtime().session().next() + ".sock";
        RunningServer server = s.start(mode == null ? List.of() : List.of("--mode", mode), socket);
        Endpoint endpoint = s.ready(server);
        String own = s.probe(endpoint, null);
        if (own != null) {
            return Failure.of("the socket's own user: " + own).withDetail(server.evidence());
        }
        String other = s.probe(endpoint, ContainerRuntime.OTHER_USER);
        String who = "a client container running as uid " + ContainerRuntime.OTHER_USER.split(":")[0];
        if (mode != null) {
            return other == null ? null : Failure.of(who + " with --mode " + mode + ": " + other);
        }
        if (other == null) {
            return Failure.of(who + " connected to a socket of the default mode: want Permission denied");
        }
        return other.contains("Permission denied") ? null
                : Failure.of(who + ": want Permission denied, got: " + other);
    }
}
