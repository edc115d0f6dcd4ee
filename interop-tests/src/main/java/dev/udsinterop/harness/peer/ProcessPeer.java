// SPDX-License-Identifier: Apache-2.0
// ProcessPeer: a client that is a program piping stdin to the socket and the socket to stdout (nc, socat).
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.report.Failure;
import dev.udsinterop.harness.report.FailureKind;
import dev.udsinterop.harness.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client program run once per connection. The payload goes to its stdin in the case's
 * writes; its stdout is the echo. With half-close, stdin is closed after the payload and
 * the program must half-close the socket; otherwise stdin stays open until the whole
 * echo arrived, so the client closes only after reading everything. The program must then
 * exit 0 by the deadline. Its stdout must end when the connection does, also while its stdin
 * is open (nc does; socat with {@code shut-close}): in a case whose client half-closes only
 * after its whole echo, output that ends before stdin was closed is a server that closed
 * before the client's half-close ({@code early-eof}).
 */
abstract class ProcessPeer implements Peer {
    private final Payloads payloads;
    private final String program;
    private final String missing;

    /** A peer that runs {@code program}, a name looked up on PATH or a path. */
    ProcessPeer(Payloads payloads, String program) {
        this.payloads = payloads;
        this.program = program;
        this.missing = Programs.isInstalled(program) ? null
                : program + " is not installed: run ./uds-interop setup (apt-get install " + packageName() + ")";
    }

    /**
     * Returns the command that connects to {@code endpoint} and half-closes the socket when its
     * stdin ends. With {@code halfClose} false, stdin ends only once the whole echo is in.
     */
    abstract List<String> command(Endpoint endpoint, boolean halfClose);

    /** Returns the executable, e.g. {@code nc}: the first word of {@link #command}. */
    final String program() {
        return program;
    }

    /** Returns the Debian package that provides it. */
    abstract String packageName();

    /**
     * Returns true if the server has closed {@code process}'s connection to {@code endpoint}, for a program whose
     * output does not end with the connection while its stdin is open; asked just before stdin closes.
     */
    boolean connectionEnded(Process process, Endpoint endpoint) {
        return false;
    }

    @Override
    public String unsupported(InteropCase c) {
        return missing;
    }

    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Traffic traffic = Traffic.of(c);
        Duration eofWait = EofWait.of(c, timeout);
        return Fanout.run(id(), endpoint, c, payloads,
                (payload, party) -> runOnce(endpoint, payload, traffic, deadline, party, new EofWait(eofWait)));
    }

    private ConnectionResult runOnce(Endpoint endpoint, byte[] payload, Traffic traffic, long deadline,
                                     Rendezvous.Party party, EofWait eofWait) throws InterruptedException {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command(endpoint, traffic.halfClose())).start();
        } catch (IOException e) {
            return ConnectionResult.clientFailed(Failure.of(FailureKind.ERROR, "start", id(), endpoint, e.getMessage()));
        }
        ByteArrayOutputStream echo = new ByteArrayOutputStream(payload.length);
        int cap = payload.length + EchoCheck.EXTRA_MARGIN;
        AtomicBoolean cut = new AtomicBoolean();
        AtomicBoolean halfClosed = new AtomicBoolean(); // stdin closed as the case's client would half-close
        AtomicBoolean inputEnding = new AtomicBoolean(); // set just before stdin closes, on every path
        AtomicBoolean earlyEof = new AtomicBoolean();
        CompletableFuture<Void> echoComplete = new CompletableFuture<>();
        CompletableFuture<Void> readEnded = new CompletableFuture<>();
        if (payload.length == 0) { // the whole echo of nothing is there from the start
            echoComplete.complete(null);
            eofWait.echoComplete();
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = executor.submit(() -> {
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
                        } else if (traffic.halfClose() && party.waits() && connectionEnded(process, endpoint)) {
                            earlyEof.set(true); // its output shows nothing yet, the kernel does
                        }
                        // Closing stdin half-closes the socket (nc -N; socat shuts down its write side), without
                        // half-close only once the whole echo is in.
                        halfClosed.set(true);
                    } finally {
                        inputEnding.set(true); // first: output that ends while this is false ended before the half-close
                    }
                }
                eofWait.halfClosed();
                return null;
            });
            Future<byte[]> stderr = executor.submit(() -> process.getErrorStream().readNBytes(4096));
            Future<?> reader = executor.submit(() -> {
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
                    // The program's output ends when the connection does (nc; socat with shut-close). Judged only where
                    // the client half-closes after its whole echo: right after its writes, it would be a race.
                    if (n < 0 && traffic.halfClose() && party.waits() && !inputEnding.get()) {
                        earlyEof.set(true);
                    }
                } finally {
                    echoComplete.complete(null);
                    readEnded.complete(null);
                }
                return null;
            });
            Failure error = eofWait.await(readEnded, deadline)
                    ? awaitAll(endpoint, deadline, echo, payload.length, halfClosed, reader, writer)
                    : JdkConnection.timeout(id(), "read", endpoint, echo.size(), payload.length, halfClosed.get())
                            .withDetail(eofWait.ranOut(deadline));
            long end = System.nanoTime() - start;
            if (error == null && !cut.get()) {
                Integer status = exitStatus(process, deadline);
                if (status == null) {
                    error = Failure.of(FailureKind.TIMEOUT, "exit", id(), endpoint, "still running at the deadline after its output ended");
                } else if (status != 0) {
                    error = Failure.of(FailureKind.EXIT_STATUS, "exit", id(), endpoint, "exit status " + status);
                }
            }
            if (earlyEof.get() && echo.size() == payload.length) { // what went wrong after it followed from it
                error = JdkConnection.earlyEof(id(), endpoint, payload.length).withDetail(error == null ? null : error.message());
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
        } finally {
            process.destroyForcibly();
        }
    }

    private Failure awaitAll(Endpoint endpoint, long deadline, ByteArrayOutputStream echo, int expected, AtomicBoolean halfClosed,
                             Future<?>... futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return JdkConnection.timeout(id(), "read", endpoint, echo.size(), expected, halfClosed.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TimeoutException t) {
                    return Failure.of(FailureKind.TIMEOUT, "write", id(), endpoint, t.getMessage());
                }
                if (!(e.getCause() instanceof IOException)) { // a broken stdin pipe: the exit status tells more
                    return Failure.of(FailureKind.ERROR, "run", id(), endpoint, String.valueOf(e.getCause()));
                }
            }
        }
        return null;
    }

    private static Integer exitStatus(Process process, long deadline) throws InterruptedException {
        return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) ? process.exitValue() : null;
    }

    private static String stderrText(Future<byte[]> stderr) {
        try {
            String text = new String(stderr.get(1, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : "stderr: " + text;
        } catch (Exception e) {
            return null;
        }
    }
}
