// SPDX-License-Identifier: Apache-2.0
// ProcessPeer: a client that is a program piping stdin to the socket and the socket to stdout (nc, socat).
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
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
import java.util.concurrent.TimeUnit;

/**
 * A client program run once per connection. The payload goes to its stdin in the case's
 * writes; its stdout is the echo. With half-close, stdin is closed after the payload and
 * the program must half-close the socket; otherwise stdin stays open until the whole
 * echo arrived, so the client closes only after reading everything. The program must then
 * exit 0 by the deadline.
 */
abstract class ProcessPeer implements Peer {
    private final Payloads payloads;
    private final String missing;

    ProcessPeer(Payloads payloads) {
        this.payloads = payloads;
        this.missing = Programs.isInstalled(program()) ? null
                : program() + " is not installed: run ./uds-interop setup (apt-get install " + packageName() + ")";
    }

    /**
     * Returns the command that connects to {@code endpoint} and half-closes the socket when its
     * stdin ends. With {@code halfClose} false, stdin ends only once the whole echo is in.
     */
    abstract List<String> command(Endpoint endpoint, boolean halfClose);

    /** Returns the executable's name, e.g. {@code nc}. */
    abstract String program();

    /** Returns the Debian package that provides it. */
    abstract String packageName();

    @Override
    public String unsupported(InteropCase c) {
        return missing;
    }

    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Traffic traffic = Traffic.of(c);
        return Fanout.run(c, payloads, payload -> runOnce(endpoint, payload, traffic, deadline));
    }

    private ConnectionResult runOnce(Endpoint endpoint, byte[] payload, Traffic traffic, long deadline)
            throws InterruptedException {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command(endpoint, traffic.halfClose())).start();
        } catch (IOException e) {
            return ConnectionResult.failed("start " + id() + ": " + e.getMessage());
        }
        ByteArrayOutputStream echo = new ByteArrayOutputStream(payload.length);
        CompletableFuture<Void> echoComplete = new CompletableFuture<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = executor.submit(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    traffic.writeTo(payload, (bytes, offset, length) -> {
                        stdin.write(bytes, offset, length);
                        stdin.flush();
                    });
                    if (!traffic.halfClose()) {
                        echoComplete.get(); // keep the write side open until the echo is in
                    }
                }
                return null;
            });
            Future<byte[]> stderr = executor.submit(() -> process.getErrorStream().readNBytes(4096));
            Future<?> reader = executor.submit(() -> {
                InputStream stdout = process.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = stdout.read(buffer)) >= 0; ) {
                    echo.write(buffer, 0, n);
                    if (echo.size() >= payload.length) {
                        echoComplete.complete(null);
                    }
                }
                echoComplete.complete(null);
                return null;
            });
            String error = awaitAll(deadline, reader, writer);
            long end = System.nanoTime() - start;
            if (error != null) {
                error += " after " + echo.size() + " of " + payload.length + " bytes";
            } else {
                Integer status = exitStatus(process, deadline);
                if (status == null) {
                    error = "still running at the deadline after its output ended";
                } else if (status != 0) {
                    error = "exited with status " + status;
                }
            }
            process.destroyForcibly(); // so that its stderr reaches EOF
            if (error != null) {
                error = id() + " " + endpoint + ": " + error + stderrText(stderr);
            }
            // A client program's whole run, start-up included: the only timing its outside shows.
            List<Exchange.Sample> samples = error == null ? List.of(new Exchange.Sample("exchange", end)) : List.of();
            return new ConnectionResult(payload.length, echo.toByteArray(), samples, error);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String awaitAll(long deadline, Future<?>... futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return "timed out";
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof IOException)) { // a broken stdin pipe: the exit status tells more
                    return String.valueOf(e.getCause());
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
            return text.isEmpty() ? "" : "; stderr: " + text.replace('\n', ' ');
        } catch (Exception e) {
            return "";
        }
    }
}
