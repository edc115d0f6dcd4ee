// SPDX-License-Identifier: Apache-2.0
// Fanout: runs a case's connections at the same time, one virtual thread each, and judges what came back.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
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

    /** One connection: sends {@code payload} and reports; it keeps the case's deadline itself. */
    interface Connection {
        ConnectionResult run(byte[] payload) throws Exception;
    }

    /** Runs {@code c.connections()} connections concurrently, each with its own payload, and returns the verdict. */
    static Exchange run(InteropCase c, Payloads payloads, Connection connection) throws InterruptedException {
        List<byte[]> sent = new ArrayList<>();
        List<Future<ConnectionResult>> running = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int j = 0; j < c.connections(); j++) {
                byte[] payload = payloads.get(c, j);
                sent.add(payload);
                running.add(executor.submit(() -> connection.run(payload)));
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
                r = ConnectionResult.failed(String.valueOf(e.getCause()));
            }
            received.add(new EchoCheck.Received(r.received(), r.error()));
            samples.addAll(r.samples());
            bytesSent += r.sent();
            bytesReceived += r.received().length;
        }
        return new Exchange(bytesSent, bytesReceived, EchoCheck.verify(sent, received), samples);
    }
}
