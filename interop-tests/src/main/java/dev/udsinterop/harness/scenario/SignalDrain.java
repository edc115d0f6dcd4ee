// SPDX-License-Identifier: Apache-2.0
// SignalDrain: after SIGTERM the server stops accepting but finishes the echo of a connection already open.
package dev.udsinterop.harness.scenario;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.fixture.SplitMix64;
import dev.udsinterop.harness.peer.EchoCheck;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code signal-drain}: a client echoes a little, the server gets the signal, the client
 * waits until new connections are refused (so the signal has surely been handled), then
 * sends 64 KiB more, half-closes and must get all of it back; then the server must exit
 * cleanly ({@link CleanStop}).
 */
final class SignalDrain implements Scenario {
    private static final byte[] BEFORE = "before the signal\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "signal-drain";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        String signal = context.testCase().param("signal", "TERM");
        long deadline = System.nanoTime() + context.timeout().toNanos();
        RunningServer server = context.startFresh();
        try (Conversation client = Conversation.open(server.endpoint(), deadline)) {
            try {
                client.send(BEFORE);
                Failure f = EchoCheck.verify("java", server.endpoint(), List.of(BEFORE),
                        List.of(new EchoCheck.Received(client.receive(BEFORE.length), false, null)));
                if (f != null) {
                    return f.withContext("before SIG" + signal);
                }
            } catch (Conversation.StepFailed e) {
                return e.failure(FailureKind.TRUNCATED).withContext("before SIG" + signal);
            }
            server.signal(signal);
            try {
                await().atMost(context.timeout()).pollInterval(Duration.ofMillis(10))
                        .until(() -> refuses(server.endpoint()) || !server.isAlive());
            } catch (ConditionTimeoutException e) {
                return Failure.of(FailureKind.TIMEOUT, "stop", context.server().id(), server.endpoint(), "SIG" + signal
                        + ": still accepting new connections after " + context.timeout().toMillis() + " ms");
            }
            byte[] rest = SplitMix64.generate(64, 64 * 1024);
            byte[] echo;
            try {
                client.send(rest);
                client.halfClose();
                echo = client.receiveToEof(rest.length);
            } catch (Conversation.StepFailed e) {
                // The open connection was cut (or never answered): its echo is lost either way.
                return e.failure(FailureKind.TRUNCATED).withContext("the open connection after SIG" + signal)
                        .withDetail(server.evidence());
            }
            Failure f = EchoCheck.verify("java", server.endpoint(), List.of(rest),
                    List.of(new EchoCheck.Received(echo, Conversation.cut(echo, rest.length), null)));
            if (f != null) {
                return f.withContext("the open connection after SIG" + signal).withDetail(server.evidence());
            }
        }
        Integer status = server.exitStatus(context.timeout());
        if (status == null || !CleanStop.isClean(server, signal, status)) {
            return Failure.of(status == null ? FailureKind.TIMEOUT : FailureKind.EXIT_STATUS, "stop", context.server().id(),
                    server.endpoint(), "SIG" + signal + ": " + (status == null ? "still running" : "exit status " + status)
                            + " after the last connection ended, " + CleanStop.want(server, signal))
                    .withDetail(server.evidence());
        }
        return null;
    }

    /** Returns true if a new connection is refused (a connection that gets through is closed again at once). */
    private static boolean refuses(Endpoint endpoint) {
        try (SocketChannel ignored = SocketChannel.open(endpoint.socketAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
