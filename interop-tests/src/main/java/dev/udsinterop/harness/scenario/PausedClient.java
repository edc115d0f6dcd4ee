// SPDX-License-Identifier: Apache-2.0
// PausedClient: a client pausing mid-message must hold up nobody, and must get the rest of its echo when it goes on.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.report.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code paused-client}: "Hel", its echo, another client's whole echo, then "lo", half-close, the rest. */
final class PausedClient implements Scenario {
    @Override
    public Failure run(ScenarioContext context) throws Exception {
        ScenarioContext.Started server = context.shared();
        long deadline = System.nanoTime() + context.timeout().toNanos();
        try (Conversation paused = Conversation.open(server.endpoint(), deadline)) {
            String first;
            String rest;
            try {
                paused.send(ascii("Hel"));
                first = new String(paused.receive(3), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return Failure.of("paused client, first part: " + e.getMessage());
            }
            String other = Probe.echo(server.endpoint(), "another client\n");
            if (other != null) {
                return Failure.of("another client while one is paused: " + other).withDetail(server.process().evidence());
            }
            try {
                paused.send(ascii("lo"));
                paused.halfClose();
                rest = new String(paused.receiveToEof(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return Failure.of("paused client, after resuming: " + e.getMessage()).withDetail(server.process().evidence());
            }
            if (!(first + rest).equals("Hello")) {
                return Failure.of("paused client: echo \"" + first + "\" + \"" + rest + "\", want \"Hel\" + \"lo\"");
            }
        }
        return null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
