// SPDX-License-Identifier: Apache-2.0
// Probe: a short JDK echo that tells whether a server still serves.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One small echo with half-close, the harness's health check after every case: a server
 * that died or wedged during a case fails here even when the case's own client saw
 * nothing wrong (the seed server exits on an empty client, after that client got its EOF).
 */
public final class Probe {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PEER = "java";

    private Probe() {
    }

    /**
     * Echoes {@code message} through {@code endpoint}; returns null if it came back whole, else
     * the failure as {@code probe java ADDRESS: CONTEXT: cause}, of the kind the echo check gave it.
     */
    public static Failure echo(Endpoint endpoint, String context, String message) throws InterruptedException {
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        // The probe's EOF may take its whole 5 s, as before: a health check's bound, not a case's deadline of 10-60 s.
        ConnectionResult r = JdkConnection.run(endpoint, payload, new Traffic(0, 0, true),
                System.nanoTime() + TIMEOUT.toNanos(), Rendezvous.NONE.party(), TIMEOUT);
        Failure f = EchoCheck.verify(PEER, endpoint, List.of(payload), List.of(r.toReceived()));
        if (f == null) {
            return null;
        }
        String cause = f.message().substring(f.message().indexOf(": ") + 2);
        return f.as(f.kind(), "probe " + PEER + " " + endpoint + ": " + cause).withContext(context);
    }

    /**
     * Echoes {@code payload} through {@code endpoint} with the JDK client (write all, half-close, read to EOF) and
     * returns what came back, for callers that judge the bytes themselves (the reliability trials).
     *
     * @throws IOException if the connection failed or did not end within {@code timeout}; the message says how
     */
    public static byte[] roundTrip(Endpoint endpoint, byte[] payload, Duration timeout) throws IOException, InterruptedException {
        ConnectionResult r = JdkConnection.run(endpoint, payload, new Traffic(0, 0, true),
                System.nanoTime() + timeout.toNanos(), Rendezvous.NONE.party(), timeout);
        if (r.error() != null) {
            throw new IOException(r.error().message());
        }
        return r.received();
    }

    /** Like {@link #echo(Endpoint, String, String)} with the harness's probe message. */
    public static Failure echo(Endpoint endpoint, String context) throws InterruptedException {
        return echo(endpoint, context, "uds-interop probe\n");
    }

    /** Like {@link #echo(Endpoint)}, as text: null if the echo came back whole, else the failure's message. */
    public static String problem(Endpoint endpoint) throws InterruptedException {
        Failure f = echo(endpoint);
        return f == null ? null : f.message();
    }

    /** Like {@link #echo(Endpoint, String)} in the context of a plain health check. */
    public static Failure echo(Endpoint endpoint) throws InterruptedException {
        return echo(endpoint, "health check");
    }
}
