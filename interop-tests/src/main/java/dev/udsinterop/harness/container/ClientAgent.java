// SPDX-License-Identifier: Apache-2.0
// ClientAgent: the program in a client container that runs echo cases through one client, many per container start.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.peer.Peers;
import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs in a client container ({@code java -Duds.home=/opt/uds ... ClientAgent --client nc}):
 * reads one {@link Request} per line on stdin, runs it with the same peer classes the host
 * uses (so nc, socat and the Go client are started inside the container, per connection, and
 * the JDK client connects from the container's JVM), and answers one {@link Response} per
 * line on stdout. A JVM per container instead of a {@code docker run} per case: starting a
 * container costs about 0.35 s, a case here a few milliseconds.
 */
public final class ClientAgent {
    /**
     * Run case {@code caseId} (or none) against {@code endpoint}, then probe the server if {@code probe}: a stream echo
     * at {@code probeEndpoint} (null: {@code endpoint}), the server's stream socket when the case's is not one.
     */
    record Request(String caseId, String endpoint, long timeoutMs, boolean probe, String probeEndpoint) {
        /** A request whose probe, if any, echoes at {@code endpoint}. */
        Request(String caseId, String endpoint, long timeoutMs, boolean probe) {
            this(caseId, endpoint, timeoutMs, probe, null);
        }
    }

    /** What the case did (null if no case was asked for) and what the probe found (null: it served, or none ran). */
    record Response(String ready, Exchange exchange, String probe) {
    }

    private ClientAgent() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--client")) {
            System.err.println("usage: ClientAgent --client ID");
            System.exit(2);
        }
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        Manifest manifest = Manifest.loadChecked(layout.manifest()); // the host has checked it against its schema
        Peer peer = Peers.bundled(layout, manifest).stream().filter(p -> p.id().equals(args[1])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + args[1]));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        answer(out, new Response(peer.id(), null, null));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            answer(out, answerTo(line, manifest, peer));
        }
    }

    /**
     * Every line gets an answer, an error where the request could not be read or run: the agent runs under
     * {@code docker exec -i}, which outlives the process it runs for as long as its stdin is open, so an agent that
     * died on a request left the host waiting for the case's deadline and the margin (40 s) instead of failing at once.
     */
    static Response answerTo(String line, Manifest manifest, Peer peer) throws InterruptedException {
        try {
            return handle(Json.LENIENT.readValue(line, Request.class), manifest, peer);
        } catch (java.io.IOException | RuntimeException e) {
            return new Response(null, Exchange.failed(Failure.of(FailureKind.ERROR, "run", peer.id(), "?",
                    "the client agent could not run the request: " + e)), null);
        }
    }

    private static Response handle(Request r, Manifest manifest, Peer peer) throws InterruptedException {
        Endpoint endpoint = Endpoint.fromReadyLine("listening " + r.endpoint());
        if (endpoint == null) {
            return new Response(null, Exchange.failed(Failure.of(FailureKind.ERROR, "connect", peer.id(), r.endpoint(),
                    "not an endpoint (client agent)")), null);
        }
        Exchange exchange = null;
        if (r.caseId() != null) {
            InteropCase c = manifest.find(r.caseId()).orElse(null);
            String unsupported = c == null ? "no case " + r.caseId() + " in the image's manifest (client agent)"
                    : peer.unsupported(c);
            exchange = unsupported != null ? Exchange.failed(Failure.of(FailureKind.ERROR, "run", peer.id(), endpoint,
                    unsupported))
                    : peer.exchange(endpoint, c, Duration.ofMillis(r.timeoutMs()));
        }
        Endpoint probeAt = r.probeEndpoint() == null ? endpoint : Endpoint.fromReadyLine("listening " + r.probeEndpoint());
        String probe = r.probe() && (exchange == null || exchange.passed()) ? Probe.problem(probeAt) : null;
        return new Response(null, exchange, probe);
    }

    private static void answer(PrintStream out, Response r) throws java.io.IOException {
        out.println(Json.LENIENT.writeValueAsString(r));
        out.flush();
    }
}
