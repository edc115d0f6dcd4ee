// SPDX-License-Identifier: Apache-2.0
// Reset: a client that resets with its echo unread must not take the server down.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.fixture.SplitMix64;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;

/**
 * {@code reset}: params {@code bytes}. The client sends what the socket takes in one
 * non-blocking write (up to {@code bytes}: more than the server can echo into an unread
 * socket), waits until echo is waiting for it without reading it, then resets, so that the
 * server has written and still has more to write. One non-blocking write never meets a
 * server that already closed, so a server that reads once (the seed) is judged on its
 * handling of the reset alone.
 */
final class Reset implements Scenario {
    @Override
    public String name() {
        return "reset";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        byte[] payload = SplitMix64.generate(8, context.testCase().param("bytes", 256 * 1024));
        RunningServer server = context.shared();
        long deadline = System.nanoTime() + context.timeout().toNanos();
        long before = Health.descriptors(server);
        try (Conversation client = Conversation.open(server.endpoint(), deadline)) {
            try {
                client.sendWhatFits(payload);
                client.awaitReadable();
            } catch (Conversation.StepFailed e) {
                return e.failure(FailureKind.ERROR).withContext("before the reset")
                        .withDetail(server.evidence());
            }
            client.abort();
        }
        Health.awaitLetGo(server, before); // a server the reset kills is dead by now, not about to die
        return Health.check(server, "the next client after a reset");
    }
}
