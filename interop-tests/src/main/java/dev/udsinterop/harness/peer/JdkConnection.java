// SPDX-License-Identifier: Apache-2.0
// JdkConnection: one connection of the JDK client: dial, write and read concurrently, stop at the deadline.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection. Unix domain channels have no read timeout, so the deadline is
 * kept by closing the channel, which ends both blocked directions. What is kept of the echo
 * is capped at the payload plus {@link EchoCheck#EXTRA_MARGIN}: a flooding server
 * is cut off there.
 */
final class JdkConnection {
    private static final String PEER = "java";

    private final Endpoint endpoint;
    private final SocketChannel channel;
    private final byte[] payload;
    private final Traffic traffic;
    private final long deadline;
    private final Rendezvous.Party party;
    private final int cap;
    private final ByteArrayOutputStream received;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong firstByte = new AtomicLong(-1);
    private final AtomicLong lastByte = new AtomicLong(-1);
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicBoolean halfClosed = new AtomicBoolean(); // set just before the half-close is sent
    private final AtomicBoolean earlyEof = new AtomicBoolean();
    private final CompletableFuture<Void> echoed = new CompletableFuture<>();
    private final CompletableFuture<Void> readEnded = new CompletableFuture<>();
    private final EofWait eofWait;
    private Failure error; // written and read by the thread that runs the exchange only
    private boolean clientError;

    private JdkConnection(Endpoint endpoint, SocketChannel channel, byte[] payload, Traffic traffic, long deadline,
                          Rendezvous.Party party, Duration eofWait) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.payload = payload;
        this.traffic = traffic;
        this.deadline = deadline;
        this.party = party;
        this.cap = payload.length + EchoCheck.EXTRA_MARGIN;
        this.received = new ByteArrayOutputStream(payload.length);
        this.eofWait = new EofWait(eofWait);
    }

    /** Closes a channel whose connect is still under way at its deadline: a blocking connect has no timeout of its own. */
    private static final ScheduledExecutorService CONNECT_DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("uds-interop-connect-deadlines").factory());

    /**
     * Connects by {@code deadline}. A unix socket whose listen backlog is full refuses a
     * non-blocking connect with EAGAIN, where a blocking connect (nc, socat) would wait for
     * room and TCP would retransmit its SYN; on a virtual thread the JDK connects without
     * blocking, so this waits for room itself, retrying until the deadline. The JDK gives
     * no errno, only its text.
     * <p>A TCP connect whose SYN gets no answer (an address whose container is gone, a full
     * accept queue) would wait for the kernel's retries, about two minutes: the channel is
     * closed at the deadline, and the connect fails as a {@link SocketTimeoutException}.
     * <p>A host name that does not resolve is an {@link UnknownHostException} naming it, like any refused connect,
     * not the JDK's unchecked {@link UnresolvedAddressException} (which killed a client agent). It is not retried:
     * in the container runtime the name is the server container's alias on the run's network, there from the
     * container's start, before its server printed a ready line; Docker drops it once the container exits. An
     * unresolved name therefore means a server that is gone, which the probe's caller then reports as died.
     */
    static SocketChannel connect(Endpoint endpoint, long deadline) throws IOException, InterruptedException {
        SocketAddress address = endpoint.socketAddress();
        long start = System.nanoTime();
        for (long backoffMicros = 100; ; backoffMicros = Math.min(2 * backoffMicros, 10_000)) {
            SocketChannel channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            ScheduledFuture<?> stop = CONNECT_DEADLINES.schedule(() -> closeQuietly(channel),
                    Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            try {
                channel.connect(address);
                if (stop.cancel(false)) {
                    return channel;
                }
                closeQuietly(channel); // connected just as the deadline passed: too late
                throw timedOut(start);
            } catch (ClosedByInterruptException e) {
                throw new InterruptedException("connect " + endpoint + ": interrupted");
            } catch (AsynchronousCloseException e) {
                throw timedOut(start);
            } catch (UnresolvedAddressException e) {
                throw new UnknownHostException(endpoint.host() + ": no such host (the name did not resolve)");
            } catch (IOException e) {
                boolean backlogFull = "Resource temporarily unavailable".equals(e.getMessage());
                if (!backlogFull || deadline - System.nanoTime() < backoffMicros * 1000) {
                    throw e;
                }
            } finally {
                stop.cancel(false);
                if (!channel.isConnected()) {
                    closeQuietly(channel);
                }
            }
            Thread.sleep(Duration.ofNanos(backoffMicros * 1000));
        }
    }

    private static SocketTimeoutException timedOut(long start) {
        return new SocketTimeoutException("connect timed out after " + (System.nanoTime() - start) / 1_000_000
                + " ms: no answer (a SYN nobody answers, or a full backlog)");
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that was asked
        }
    }

    /**
     * One connection of a case: {@code party} is its place at the case's barrier, {@code eofWait} how long it waits
     * for EOF once it has its whole echo and has half-closed.
     */
    static ConnectionResult run(Endpoint endpoint, byte[] payload, Traffic traffic, long deadline, Rendezvous.Party party,
                                Duration eofWait) throws InterruptedException {
        long start = System.nanoTime();
        SocketChannel channel;
        try {
            channel = connect(endpoint, deadline);
        } catch (SocketTimeoutException e) { // as go-interop's dial past its deadline
            return ConnectionResult.failed(Failure.of(FailureKind.TIMEOUT, "connect", PEER, endpoint, e.getMessage()));
        } catch (IOException e) {
            return ConnectionResult.failed(Failure.of(FailureKind.REFUSED, "connect", PEER, endpoint, e.getMessage()));
        }
        return new JdkConnection(endpoint, channel, payload, traffic, deadline, party, eofWait).exchange(start);
    }

    private ConnectionResult exchange(long start) throws InterruptedException {
        long connected = System.nanoTime();
        try (channel; ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = executor.submit(this::write);
            Future<?> reader = executor.submit(() -> read(connected));
            if (eofWait.await(readEnded, deadline)) {
                await(reader, "read");
            } else {
                fail(timeout(PEER, "read", endpoint, received.size(), payload.length, halfClosed.get())
                        .withDetail(eofWait.ranOut(deadline)), false);
            }
            if (error == null) {
                await(writer, "write");
            }
            if (earlyEof.get() && received.size() == payload.length) { // what went wrong after it followed from it
                Failure after = error;
                fail(earlyEof(PEER, endpoint, payload.length).withDetail(after == null ? null : after.message()), false);
            }
            if (error != null || cut.get()) {
                channel.close(); // ends whichever side is still blocked
            }
        } catch (IOException e) {
            fail(Failure.of(FailureKind.ERROR, "close", PEER, endpoint, e.getMessage()), true);
        }
        List<Exchange.Sample> samples = new ArrayList<>();
        samples.add(new Exchange.Sample("connect", connected - start));
        if (firstByte.get() >= 0) {
            samples.add(new Exchange.Sample("first-byte", firstByte.get()));
        }
        if (error == null && !cut.get()) {
            // an empty echo ends with EOF: that is its last byte
            samples.add(new Exchange.Sample("last-byte", lastByte.get() >= 0 ? lastByte.get() : System.nanoTime() - connected));
        }
        return new ConnectionResult(written.get(), received.toByteArray(), cut.get(), samples, error, clientError);
    }

    /** Writes the payload; with a barrier, waits for the whole echo and the others' before it half-closes. */
    private Void write() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        traffic.writeTo(payload, (bytes, offset, length) -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                written.addAndGet(channel.write(buffer));
            }
        });
        if (party.waits()) { // the whole echo first, then the others'
            echoed.get();
            if (received.size() < payload.length) {
                party.leave(); // the echo ended short: the reader's verdict tells why
                return null;
            }
            if (!party.arriveAndAwait(deadline)) {
                throw new TimeoutException("timed out waiting for the other connections' echoes");
            }
        }
        if (traffic.halfClose()) {
            halfClosed.set(true); // first: an EOF the reader sees while this is false came before the half-close
            channel.shutdownOutput();
            eofWait.halfClosed();
        }
        return null;
    }

    /** Reads the echo: to EOF with half-close, else exactly the payload's length; at most the cap. */
    private Void read(long connected) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        if (payload.length == 0) { // the whole echo of nothing is there from the start
            echoed.complete(null);
            eofWait.echoComplete();
        }
        try {
            // Without half-close the client reads exactly the payload's length, then closes.
            while (traffic.halfClose() || received.size() < payload.length) {
                int want = (traffic.halfClose() ? cap + 1 : payload.length) - received.size();
                buffer.limit(Math.min(buffer.capacity(), want));
                int n = channel.read(buffer);
                if (n < 0) {
                    // Only where the client half-closes after its whole echo: right after its writes, it would be a race.
                    earlyEof.set(traffic.halfClose() && party.waits() && !halfClosed.get());
                    break;
                }
                long now = System.nanoTime();
                firstByte.compareAndSet(-1, now - connected);
                lastByte.set(now - connected);
                received.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (received.size() >= payload.length) {
                    echoed.complete(null);
                    eofWait.echoComplete();
                }
                if (received.size() > cap) {
                    cut.set(true); // a flood: enough evidence, stop reading
                    break;
                }
            }
        } finally {
            echoed.complete(null);
            readEnded.complete(null);
        }
        return null;
    }

    private void fail(Failure failure, boolean own) {
        error = failure;
        clientError = own;
    }

    /**
     * The failure of a client whose deadline passed with {@code size} of {@code expected} bytes in: {@code no-eof}
     * if it had them all and had half-closed, else {@code timeout}.
     */
    static Failure timeout(String peer, String op, Endpoint endpoint, int size, int expected, boolean halfClosed) {
        if (size == expected && halfClosed) {
            return Failure.of(FailureKind.NO_EOF, op, peer, endpoint,
                    "all " + expected + " bytes came back, but no EOF after the half-close");
        }
        return Failure.of(FailureKind.TIMEOUT, op, peer, endpoint, size == expected
                ? "timed out with all " + expected + " bytes in, waiting for the other connections' echoes"
                : "timed out after " + size + " of " + expected + " bytes");
    }

    /**
     * The failure of a client that had its whole echo of {@code expected} bytes and, waiting to half-close, got
     * the server's EOF: the server closed without waiting for the client's.
     */
    static Failure earlyEof(String peer, Endpoint endpoint, int expected) {
        return Failure.of(FailureKind.EARLY_EOF, "read", peer, endpoint,
                "all " + expected + " bytes came back, but the server closed before the client's half-close");
    }

    /**
     * Waits for one direction; records the error as {@code op java endpoint: cause}, if any. A read
     * that times out with the whole echo in, waiting for EOF, is {@code no-eof}. A socket's error is
     * what the server did (the bytes tell the kind); anything else thrown is the client's own.
     */
    private void await(Future<?> f, String op) throws InterruptedException {
        try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            fail(timeout(PEER, op, endpoint, received.size(), payload.length, halfClosed.get()), false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            FailureKind kind = cause instanceof TimeoutException ? FailureKind.TIMEOUT : FailureKind.ERROR;
            fail(Failure.of(kind, op, PEER, endpoint, cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                    !(cause instanceof TimeoutException || cause instanceof IOException));
        }
    }
}
