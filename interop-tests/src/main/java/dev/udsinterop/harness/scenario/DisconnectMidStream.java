// SPDX-License-Identifier: Apache-2.0
// DisconnectMidStream: a client that vanishes while still sending must not take the server down.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.fixture.SplitMix64;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code disconnect-mid-stream}: params {@code bytes}. The client streams, reads only the
 * first echoed byte (so the server is surely busy with it), then closes at once; the next
 * client must be served.
 */
final class DisconnectMidStream implements Scenario {
    @Override
    public String name() {
        return "disconnect-mid-stream";
    }

    @Override
    public Failure run(ScenarioContext context) throws Exception {
        byte[] payload = SplitMix64.generate(7, context.testCase().param("bytes", 1 << 20));
        RunningServer server = context.shared();
        long deadline = System.nanoTime() + context.timeout().toNanos();
        long before = Health.descriptors(server);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
             Conversation client = Conversation.open(server.endpoint(), deadline)) {
            executor.submit(() -> {
                try {
                    client.send(payload);
                } catch (IOException expected) {
                    // the write side dies with the close below
                }
                return null;
            });
            try {
                client.receive(1);
            } catch (Conversation.StepFailed e) {
                return e.failure(FailureKind.ERROR).withContext("before the disconnect")
                        .withDetail(server.evidence());
            }
            client.abort();
        }
        Health.awaitLetGo(server, before); // a server the disconnect kills is dead by now, not about to die
        return Health.check(server, "the next client after a disconnect mid-stream");
    }
}
