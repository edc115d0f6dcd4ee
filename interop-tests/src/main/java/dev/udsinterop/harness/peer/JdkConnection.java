// SPDX-License-Identifier: Apache-2.0
// JdkConnection: one connection of the JDK client: dial, write and read concurrently, stop at the deadline.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One client connection. Unix domain channels have no read timeout, so the deadline is
 * kept by closing the channel, which ends both blocked directions.
 */
final class JdkConnection {
    private JdkConnection() {
    }

    /**
     * Connects by {@code deadline}. A unix socket whose listen backlog is full refuses a
     * non-blocking connect with EAGAIN, where a blocking connect (nc, socat) would wait for
     * room and TCP would retransmit its SYN; on a virtual thread the JDK connects without
     * blocking, so this waits for room itself, retrying until the deadline. The JDK gives
     * no errno, only its text.
     */
    static SocketChannel connect(Endpoint endpoint, long deadline) throws IOException, InterruptedException {
        for (long backoffMicros = 100; ; backoffMicros = Math.min(2 * backoffMicros, 10_000)) {
            try {
                return SocketChannel.open(endpoint.socketAddress());
            } catch (IOException e) {
                boolean backlogFull = "Resource temporarily unavailable".equals(e.getMessage());
                if (!backlogFull || deadline - System.nanoTime() < backoffMicros * 1000) {
                    throw e;
                }
            }
            Thread.sleep(java.time.Duration.ofNanos(backoffMicros * 1000));
        }
    }

    static ConnectionResult run(Endpoint endpoint, byte[] payload, Traffic traffic, long deadline) throws InterruptedException {
        long start = System.nanoTime();
        SocketChannel channel;
        try {
            channel = connect(endpoint, deadline);
        } catch (IOException e) {
            return ConnectionResult.failed("connect java " + endpoint + ": " + e.getMessage());
        }
        long connected = System.nanoTime();
        AtomicLong written = new AtomicLong();
        AtomicLong firstByte = new AtomicLong(-1);
        AtomicLong lastByte = new AtomicLong(-1);
        ByteArrayOutputStream received = new ByteArrayOutputStream(payload.length);
        String error = null;
        try (channel; ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = executor.submit(() -> {
                traffic.writeTo(payload, (bytes, offset, length) -> {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                    while (buffer.hasRemaining()) {
                        written.addAndGet(channel.write(buffer));
                    }
                });
                if (traffic.halfClose()) {
                    channel.shutdownOutput();
                }
                return null;
            });
            Future<?> reader = executor.submit(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                // Without half-close the client reads exactly the payload's length, then closes.
                while (traffic.halfClose() || received.size() < payload.length) {
                    if (!traffic.halfClose()) {
                        buffer.limit(Math.min(buffer.capacity(), payload.length - received.size()));
                    }
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    long now = System.nanoTime();
                    firstByte.compareAndSet(-1, now - connected);
                    lastByte.set(now - connected);
                    received.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                return null;
            });
            Supplier<String> progress = () -> " after " + received.size() + " of " + payload.length + " bytes";
            error = await(reader, deadline, "read", endpoint, progress);
            if (error == null) {
                error = await(writer, deadline, "write", endpoint, progress);
            }
            if (error != null) {
                channel.close(); // ends whichever side is still blocked
            }
        } catch (IOException e) {
            error = "close java " + endpoint + ": " + e.getMessage();
        }
        List<Exchange.Sample> samples = new ArrayList<>();
        samples.add(new Exchange.Sample("connect", connected - start));
        if (firstByte.get() >= 0) {
            samples.add(new Exchange.Sample("first-byte", firstByte.get()));
        }
        if (error == null) {
            // an empty echo ends with EOF: that is its last byte
            samples.add(new Exchange.Sample("last-byte", lastByte.get() >= 0 ? lastByte.get() : System.nanoTime() - connected));
        }
        return new ConnectionResult(written.get(), received.toByteArray(), samples, error);
    }

    /** Waits for one direction; returns null, or the error in the form {@code op java endpoint: cause}. */
    private static String await(Future<?> f, long deadline, String op, Endpoint endpoint, Supplier<String> progress)
            throws InterruptedException {
        try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (TimeoutException e) {
            return op + " java " + endpoint + ": timed out" + progress.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            return op + " java " + endpoint + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
    }
}
