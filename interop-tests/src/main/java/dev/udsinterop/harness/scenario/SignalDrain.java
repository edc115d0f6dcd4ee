// SPDX-License-Identifier: Apache-2.0
// SignalDrain: after SIGTERM the server stops accepting but finishes the echo of a connection already open.
package dev.udsinterop.harness.scenario;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.fixture.SplitMix64;
import dev.udsinterop.harness.report.Failure;
import dev.udsinterop.harness.transport.Endpoint;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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
    public Failure run(ScenarioContext context) throws Exception {
        String signal = context.testCase().param("signal", "TERM");
        long deadline = System.nanoTime() + context.timeout().toNanos();
        ScenarioContext.Started server = context.startFresh();
        try (Conversation client = Conversation.open(server.endpoint(), deadline)) {
            client.send(BEFORE);
            if (!Arrays.equals(BEFORE, client.receive(BEFORE.length))) {
                return Failure.of("echo before SIG" + signal + " differs");
            }
            server.process().signal(signal);
            try {
                await().atMost(context.timeout()).pollInterval(Duration.ofMillis(10))
                        .until(() -> refuses(server.endpoint()) || !server.process().isAlive());
            } catch (ConditionTimeoutException e) {
                return Failure.of("SIG" + signal + " " + context.server().id() + ": still accepting new connections after "
                        + context.timeout().toMillis() + " ms");
            }
            byte[] rest = SplitMix64.generate(64, 64 * 1024);
            byte[] echo;
            try {
                client.send(rest);
                client.halfClose();
                echo = client.receiveToEof();
            } catch (IOException e) {
                return Failure.of("after SIG" + signal + ": " + e.getMessage()).withDetail(server.process().evidence());
            }
            if (!Arrays.equals(rest, echo)) {
                return Failure.of("after SIG" + signal + ": the open connection got " + echo.length + " of "
                        + rest.length + " bytes back").withDetail(server.process().evidence());
            }
        }
        Integer status = server.process().exitStatus(context.timeout());
        if (status == null || !CleanStop.isClean(server.process(), signal, status)) {
            return Failure.of("SIG" + signal + " " + context.server().id() + ": exit status " + status
                    + " after the last connection ended, " + CleanStop.want(server.process(), signal))
                    .withDetail(server.process().evidence());
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
