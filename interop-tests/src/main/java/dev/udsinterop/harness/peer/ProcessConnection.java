// SPDX-License-Identifier: Apache-2.0
// ProcessConnection: one connection of a client program (nc, socat): the payload into its stdin, the echo out of its stdout.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a client program. Closing its stdin is its half-close (nc -N; socat shuts down
 * its write side), so the moment stdin closes is marked first: in a case whose client
 * half-closes only after its whole echo, output that ends while stdin is still open is the
 * server closing first ({@code early-eof}). What is kept of the echo is capped at the payload
 * plus {@link EchoCheck#EXTRA_MARGIN}.
 */
final class ProcessConnection {
    private final ProcessPeer peer;
    private final Process process;
    private final Endpoint endpoint;
    private final byte[] payload;
    private final Traffic traffic;
    private final long deadline;
    private final Rendezvous.Party party;
    private final EofWait eofWait;
    private final int cap;
    private final ByteArrayOutputStream echo;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicBoolean halfClosed = new AtomicBoolean(); // stdin closed as the case's client would half-close
    private final AtomicBoolean inputEnding = new AtomicBoolean(); // set just before stdin closes, on every path
    private final AtomicBoolean earlyEof = new AtomicBoolean();
    private final CompletableFuture<Void> echoComplete = new CompletableFuture<>();
    private final CompletableFuture<Void> readEnded = new CompletableFuture<>();

    private ProcessConnection(ProcessPeer peer, Process process, Endpoint endpoint, byte[] payload, Traffic traffic,
                              long deadline, Rendezvous.Party party, EofWait eofWait) {
        this.peer = peer;
        this.process = process;
        this.endpoint = endpoint;
        this.payload = payload;
        this.traffic = traffic;
        this.deadline = deadline;
        this.party = party;
        this.eofWait = eofWait;
        this.cap = payload.length + EchoCheck.EXTRA_MARGIN;
        this.echo = new ByteArrayOutputStream(payload.length);
        if (payload.length == 0) { // the whole echo of nothing is there from the start
            echoComplete.complete(null);
            eofWait.echoComplete();
        }
    }

    /** Starts {@code command} of {@code peer} and runs one connection of a case through it. */
    static ConnectionResult run(ProcessPeer peer, List<String> command, Endpoint endpoint, byte[] payload, Traffic traffic,
                                long deadline, Rendezvous.Party party, EofWait eofWait) throws InterruptedException {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return ConnectionResult.clientFailed(Failure.of(FailureKind.ERROR, "start", peer.id(), endpoint, e.getMessage()));
        }
        try {
            return new ProcessConnection(peer, process, endpoint, payload, traffic, deadline, party, eofWait).exchange(start);
        } finally {
            process.destroyForcibly();
        }
    }

    private ConnectionResult exchange(long start) throws InterruptedException {
        // platform threads for the pipes: a pipe read pins a virtual thread's carrier (see ServerProcess)
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            Future<?> writer = executor.submit(this::write);
            Future<byte[]> stderr = executor.submit(() -> process.getErrorStream().readNBytes(4096));
            Future<?> reader = executor.submit(this::read);
            Failure error = eofWait.await(readEnded, deadline)
                    ? awaitAll(reader, writer)
                    : JdkConnection.timeout(peer.id(), "read", endpoint, echo.size(), payload.length, halfClosed.get())
                            .withDetail(eofWait.ranOut(deadline));
            long end = System.nanoTime() - start;
            if (error == null && !cut.get()) {
                error = exitFailure();
            }
            if (earlyEof.get() && echo.size() == payload.length) { // what went wrong after it followed from it
                error = JdkConnection.earlyEof(peer.id(), endpoint, payload.length).withDetail(error == null ? null : error.message());
            }
            process.destroyForcibly(); // so that its stderr reaches EOF
            if (error != null) {
                error = error.withDetail(stderrText(stderr));
            }
            // A client program's whole run, start-up included: the only timing its outside shows.
            List<Exchange.Sample> samples = error == null && !cut.get() ? List.of(new Exchange.Sample("exchange", end)) : List.of();
            // A task of the harness's that crashed (not a broken pipe, not the deadline) is the client's own error.
            boolean clientError = error != null && error.kind() == FailureKind.ERROR;
            return new ConnectionResult(payload.length, echo.toByteArray(), cut.get(), samples, error, clientError);
        }
    }

    /** Writes the payload to stdin, waits for the echo where the case says so, then closes stdin. */
    private Void write() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        try (OutputStream stdin = process.getOutputStream()) {
            try {
                traffic.writeTo(payload, (bytes, offset, length) -> {
                    stdin.write(bytes, offset, length);
                    stdin.flush();
                });
                if (!traffic.halfClose() || party.waits()) {
                    echoComplete.get(); // keep the write side open until the echo is in
                }
                if (party.waits() && echo.size() < payload.length) {
                    party.leave(); // the echo ended short: the reader's verdict tells why
                } else if (party.waits() && !party.arriveAndAwait(deadline)) {
                    throw new TimeoutException("timed out waiting for the other connections' echoes");
                } else if (traffic.halfClose() && party.waits() && peer.connectionEnded(process, endpoint)) {
                    earlyEof.set(true); // its output shows nothing yet, the kernel does
                }
                halfClosed.set(true); // without half-close only once the whole echo is in
            } finally {
                inputEnding.set(true); // first: output that ends while this is false ended before the half-close
            }
        }
        eofWait.halfClosed();
        return null;
    }

    /** Reads stdout to its end, or to the cap. */
    private Void read() throws IOException {
        try {
            InputStream stdout = process.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = stdout.read(buffer, 0, Math.min(buffer.length, cap + 1 - echo.size()))) > 0) {
                echo.write(buffer, 0, n);
                if (echo.size() >= payload.length) {
                    echoComplete.complete(null);
                    eofWait.echoComplete();
                }
                if (echo.size() > cap) {
                    cut.set(true); // a flood: enough evidence, stop reading
                    break;
                }
            }
            // Judged only where the client half-closes after its whole echo: right after its writes, it would be a race.
            if (n < 0 && traffic.halfClose() && party.waits() && !inputEnding.get()) {
                earlyEof.set(true);
            }
        } finally {
            echoComplete.complete(null);
            readEnded.complete(null);
        }
        return null;
    }

    private Failure awaitAll(Future<?>... futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return JdkConnection.timeout(peer.id(), "read", endpoint, echo.size(), payload.length, halfClosed.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TimeoutException t) {
                    return Failure.of(FailureKind.TIMEOUT, "write", peer.id(), endpoint, t.getMessage());
                }
                if (!(e.getCause() instanceof IOException)) { // a broken stdin pipe: the exit status tells more
                    return Failure.of(FailureKind.ERROR, "run", peer.id(), endpoint, String.valueOf(e.getCause()));
                }
            }
        }
        return null;
    }

    /** Returns why the program's exit is wrong (still running at the deadline, or a status other than 0), or null. */
    private Failure exitFailure() throws InterruptedException {
        if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return Failure.of(FailureKind.TIMEOUT, "exit", peer.id(), endpoint, "still running at the deadline after its output ended");
        }
        int status = process.exitValue();
        return status == 0 ? null : Failure.of(FailureKind.EXIT_STATUS, "exit", peer.id(), endpoint, "exit status " + status);
    }

    private static String stderrText(Future<byte[]> stderr) {
        try {
            String text = new String(stderr.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : "stderr: " + text;
        } catch (Exception e) {
            return null;
        }
    }
}
