// SPDX-License-Identifier: Apache-2.0
// PausedClient: a client pausing mid-message must hold up nobody, and must get the rest of its echo when it goes on.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.peer.EchoCheck;
import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code paused-client}: "Hel", its echo, another client's whole echo, then "lo", half-close, the rest. */
final class PausedClient implements Scenario {
    @Override
    public String name() {
        return "paused-client";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        RunningServer server = context.shared();
        long deadline = System.nanoTime() + context.timeout().toNanos();
        try (Conversation paused = Conversation.open(server.endpoint(), deadline)) {
            byte[] first;
            byte[] rest;
            try {
                paused.send(ascii("Hel"));
                first = paused.receive(3);
            } catch (Conversation.StepFailed e) {
                return e.failure(FailureKind.TRUNCATED).withContext("paused client, first part");
            }
            Failure other = Probe.echo(server.endpoint(), "another client while one is paused", "another client\n");
            if (other != null) {
                return other.withDetail(server.evidence());
            }
            try {
                paused.send(ascii("lo"));
                paused.halfClose();
                rest = paused.receiveToEof(2);
            } catch (Conversation.StepFailed e) {
                return e.failure(FailureKind.TRUNCATED).withContext("paused client, after resuming")
                        .withDetail(server.evidence());
            }
            Failure f = EchoCheck.verify("java", server.endpoint(), List.of(ascii("Hello")),
                    List.of(new EchoCheck.Received(concat(first, rest), Conversation.cut(rest, 2), null)));
            if (f != null) {
                return f.withContext("paused client").withDetail(server.evidence());
            }
        }
        return null;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
