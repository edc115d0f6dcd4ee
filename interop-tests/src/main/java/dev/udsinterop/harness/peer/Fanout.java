// SPDX-License-Identifier: Apache-2.0
// Fanout: runs a case's connections at the same time, one virtual thread each, and judges what came back.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The concurrent part shared by the peers that handle connections themselves (JDK, nc, socat). */
final class Fanout {
    private Fanout() {
    }

    /**
     * One connection: sends {@code payload} and reports; it keeps the case's deadline itself. With a
     * barrier it waits at {@code party} once it has its whole echo, before it closes or half-closes.
     */
    interface Connection {
        ConnectionResult run(byte[] payload, Rendezvous.Party party) throws Exception;
    }

    /** Runs {@code c.connections()} connections concurrently, each with its own payload, and returns the verdict. */
    static Exchange run(String peer, Endpoint endpoint, InteropCase c, Payloads payloads, Connection connection)
            throws InterruptedException {
        List<byte[]> sent = new ArrayList<>();
        List<Future<ConnectionResult>> running = new ArrayList<>();
        Rendezvous rendezvous = Rendezvous.of(c);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int j = 0; j < c.connections(); j++) {
                byte[] payload = payloads.get(c, j);
                sent.add(payload);
                Rendezvous.Party party = rendezvous.party();
                running.add(executor.submit(() -> {
                    try {
                        return connection.run(payload, party);
                    } finally {
                        party.leave(); // one that failed before it arrived breaks the barrier: nobody waits in vain
                    }
                }));
            }
        } // waits for every connection
        List<EchoCheck.Received> received = new ArrayList<>();
        List<Exchange.Sample> samples = new ArrayList<>();
        long bytesSent = 0;
        long bytesReceived = 0;
        for (Future<ConnectionResult> f : running) {
            ConnectionResult r;
            try {
                r = f.get();
            } catch (ExecutionException e) {
                r = ConnectionResult.clientFailed(Failure.of(FailureKind.ERROR, "run", peer, endpoint, String.valueOf(e.getCause())));
            }
            received.add(r.toReceived());
            samples.addAll(r.samples());
            bytesSent += r.sent();
            bytesReceived += r.received().length;
        }
        return new Exchange(bytesSent, bytesReceived, EchoCheck.verify(peer, endpoint, sent, received), samples);
    }
}
