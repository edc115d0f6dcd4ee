// SPDX-License-Identifier: Apache-2.0
// Probe: a short JDK echo that tells whether a server still serves.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.transport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One small echo with half-close, the harness's health check after every case: a server
 * that died or wedged during a case fails here even when the case's own client saw
 * nothing wrong (the seed server exits on an empty client, after that client got its EOF).
 */
public final class Probe {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Probe() {
    }

    /** Echoes {@code message} through {@code endpoint}; returns null if it came back whole, else what went wrong. */
    public static String echo(Endpoint endpoint, String message) throws InterruptedException {
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        ConnectionResult r = JdkConnection.run(endpoint, payload, new Traffic(0, 0, true),
                System.nanoTime() + TIMEOUT.toNanos());
        if (r.error() != null) {
            return r.error();
        }
        if (!Arrays.equals(payload, r.received())) {
            return "echo java " + endpoint + ": sent \"" + message + "\", got \""
                    + new String(r.received(), StandardCharsets.UTF_8) + "\"";
        }
        return null;
    }

    /** Like {@link #echo(Endpoint, String)} with the harness's probe message. */
    public static String echo(Endpoint endpoint) throws InterruptedException {
        return echo(endpoint, "uds-interop probe\n");
    }
}
