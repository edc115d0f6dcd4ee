// SPDX-License-Identifier: Apache-2.0
// MessageConnection: one connection of the JDK client on Unix sockets beyond byte streams, through junixsocket.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketExtensions;

/**
 * One connection of a case on a seqpacket or datagram socket, on an abstract name, or one that passes descriptors,
 * as the Go client runs them: the payload goes as the case's chunks, one message each on seqpacket and datagram
 * sockets (descriptors with the first chunk, or the last), while the echo is read message by message; each message
 * must come back as one message ({@code boundary}), every datagram must come back ({@code lost}: none came for the
 * wait for EOF after the last one sent and the last one back), and descriptors must come back as the same open files
 * ({@code descriptors}). A datagram connection binds an abstract name of its own first, where the replies come.
 * These cases have no barrier. junixsocket blocks in native code, which would pin a virtual thread's carrier, so the
 * reading and writing run on platform threads; the deadline is kept by closing the channel.
 */
final class MessageConnection {
    private static final String PEER = "java";
    /** Larger than any case's message, so that two merged messages show as one too long. */
    private static final int MAX_MESSAGE = 1 << 20;
    /** Room for the control data of 8 descriptors (the contract's most) and more. */
    private static final int ANCILLARY_BYTES = 512;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final ThreadFactory PLATFORM = Thread.ofPlatform().daemon().name("java-client-io-", 0).factory();

    private final Endpoint endpoint;
    private final InteropCase c;
    private final byte[] payload;
    private final List<byte[]> messages = new ArrayList<>();
    private final long deadline;
    private final long eofWaitNanos;
    private final boolean datagram;
    private final boolean byMessage;
    private final ByteArrayOutputStream received;
    private final List<FileDescriptor> fdsBack = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong firstByte = new AtomicLong(-1);
    private final AtomicLong lastByte = new AtomicLong(-1);
    private final AtomicLong quietFrom = new AtomicLong(Long.MAX_VALUE); // datagrams: the last one sent, or back
    private final EofWait eofWait;
    private final CompletableFuture<Void> readEnded = new CompletableFuture<>();
    private final CompletableFuture<Void> writeEnded = new CompletableFuture<>();
    private volatile boolean halfClosed; // set just before the half-close is sent
    private volatile boolean cut;
    private int boundary; // 1 + the index of the first message back with another length, 0: none (reader only)
    private int boundaryLength;
    private volatile int messagesBack;

    private MessageConnection(Endpoint endpoint, InteropCase c, byte[] payload, long deadline, Duration eofWait) {
        this.endpoint = endpoint;
        this.c = c;
        this.payload = payload;
        this.deadline = deadline;
        this.eofWaitNanos = eofWait.toNanos();
        this.eofWait = new EofWait(eofWait);
        this.datagram = c.socket().equals("datagram");
        this.byMessage = !c.socket().equals("stream");
        this.received = new ByteArrayOutputStream(payload.length);
        int chunk = c.chunkSize() <= 0 ? Math.max(payload.length, 1) : c.chunkSize();
        for (int off = 0; off < payload.length; off += chunk) {
            messages.add(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + chunk)));
        }
    }

    /** Runs one connection of case {@code c} against {@code endpoint} by {@code deadline} (System.nanoTime). */
    static ConnectionResult run(Endpoint endpoint, InteropCase c, byte[] payload, long deadline, Duration eofWait)
            throws InterruptedException {
        return new MessageConnection(endpoint, c, payload, deadline, eofWait).exchange();
    }

    private ConnectionResult exchange() throws InterruptedException {
        long start = System.nanoTime();
        // Not closed by waiting for its tasks: a connect blocked in native code (a full backlog) does not end when
        // interrupted; its daemon thread ends when the server goes.
        ExecutorService io = Executors.newThreadPerTaskExecutor(PLATFORM);
        try (PassedPipes pipes = c.fds() > 0 ? new PassedPipes(c.fds()) : null) {
            Future<ByteChannel> dialing = io.submit(this::dial);
            ByteChannel channel;
            try {
                channel = dialing.get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                dialing.cancel(true);
                return ConnectionResult.failed(Failure.of(FailureKind.TIMEOUT, "connect", PEER, endpoint, "timed out connecting"));
            } catch (ExecutionException e) {
                return ConnectionResult.failed(Failure.of(FailureKind.REFUSED, "connect", PEER, endpoint, message(e.getCause())));
            }
            long connected = System.nanoTime();
            try (channel) {
                return exchange(channel, pipes, io, start, connected);
            }
        } catch (IOException e) { // the pipes to pass could not be made, or the channel not closed
            return ConnectionResult.clientFailed(Failure.of(FailureKind.ERROR, "run", PEER, endpoint, e.getMessage()));
        } finally {
            io.shutdownNow();
        }
    }

    private ConnectionResult exchange(ByteChannel channel, PassedPipes pipes, ExecutorService io, long start, long connected)
            throws InterruptedException, IOException {
        Future<?> writer = io.submit(() -> write(channel, pipes));
        Future<?> reader = io.submit(() -> read(channel, connected));
        Failure error = awaitReader(reader);
        if (error != null) {
            channel.close(); // unblocks the reader
            awaitEnd(reader);
        }
        boolean failed = error != null || boundary > 0 || cut || received.size() != payload.length
                || !Arrays.equals(received.toByteArray(), payload);
        if (failed) {
            channel.close(); // unblocks the writer: the case has failed anyway
        }
        Failure writeError = awaitWriter(writer, failed);
        if (error == null && !failed) {
            error = writeError;
        }
        if (error == null && !failed && pipes != null) {
            String wrong = pipes.check(fdsBack);
            if (wrong != null) {
                error = Failure.of(FailureKind.DESCRIPTORS, "read", PEER, endpoint,
                        "all " + payload.length + " bytes came back, but the descriptors did not: " + wrong);
            }
        } else {
            PassedPipes.closeAll(fdsBack);
        }
        if (boundary > 0) { // what it says stands whatever the bytes, as in the Go client's verdict
            int size = messages.isEmpty() ? 0 : messages.getFirst().length;
            error = Failure.of(FailureKind.BOUNDARY, "read", PEER, endpoint, boundaryLength > size
                    ? "message " + (boundary - 1) + " came back as " + boundaryLength + " bytes, longer than the " + size
                            + "-byte messages sent: messages merged"
                    : "message " + (boundary - 1) + " came back as " + boundaryLength + " bytes, not as it was sent: a message split or extra");
        }
        List<Exchange.Sample> samples = new ArrayList<>();
        samples.add(new Exchange.Sample("connect", connected - start));
        if (firstByte.get() >= 0) {
            samples.add(new Exchange.Sample("first-byte", firstByte.get()));
        }
        if (error == null && lastByte.get() >= 0) {
            samples.add(new Exchange.Sample("last-byte", lastByte.get()));
        }
        return new ConnectionResult(sent.get(), received.toByteArray(), cut, samples, error);
    }

    /**
     * Waits for the reader: until the deadline; on datagrams until nothing came back for the wait for EOF after the
     * last one was sent (the rest are {@code lost}); after a half-close with the whole echo in, until the wait for
     * EOF ran out ({@code no-eof}). Returns the reader's failure, or null.
     */
    private Failure awaitReader(Future<?> reader) throws InterruptedException {
        if (datagram) {
            try { // the wait for the lost ones starts once the last one is sent
                CompletableFuture.anyOf(readEnded, writeEnded).get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // the loop below tells which
            }
            while (!readEnded.isDone()) {
                long quiet = quietFrom.get();
                long due = quiet == Long.MAX_VALUE ? deadline : earlier(deadline, quiet + eofWaitNanos);
                try {
                    readEnded.get(remaining(due), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    break; // it ended; the reader's future says how
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        return JdkConnection.timeout(PEER, "read", endpoint, received.size(), payload.length, false);
                    }
                    if (quietFrom.get() == quiet && quiet != Long.MAX_VALUE) { // nothing came since
                        return Failure.of(FailureKind.LOST, "read", PEER, endpoint, (messages.size() - messagesBack)
                                + " datagrams never came back (received " + received.size() + " of " + payload.length + " bytes)");
                    }
                }
            }
        } else if (!eofWait.await(readEnded, deadline)) {
            return JdkConnection.timeout(PEER, "read", endpoint, received.size(), payload.length, halfClosed)
                    .withDetail(eofWait.ranOut(deadline));
        }
        try {
            reader.get(remaining(deadline), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return Failure.of(FailureKind.ERROR, "read", PEER, endpoint, message(e.getCause()));
        } catch (TimeoutException e) {
            return JdkConnection.timeout(PEER, "read", endpoint, received.size(), payload.length, halfClosed);
        }
    }

    /** Waits a little for a task whose channel was closed under it, to read what it left. */
    private static void awaitEnd(Future<?> task) throws InterruptedException {
        try {
            task.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // it ended by the close, or is stuck: what it read so far is the evidence
        }
    }

    /** Waits for the writer (closed if the case failed); returns its failure, or null. */
    private Failure awaitWriter(Future<?> writer, boolean failed) throws InterruptedException {
        try {
            writer.get(remaining(deadline), TimeUnit.NANOSECONDS);
            return null;
        } catch (TimeoutException e) {
            return Failure.of(FailureKind.TIMEOUT, "write", PEER, endpoint, "timed out after " + sent.get() + " of " + payload.length + " bytes");
        } catch (ExecutionException e) {
            return failed ? null : Failure.of(FailureKind.ERROR, "write", PEER, endpoint,
                    message(e.getCause()) + " after " + sent.get() + " of " + payload.length + " bytes");
        }
    }

    /** Connects: a datagram socket binds an abstract name of its own first, where the replies come. */
    private ByteChannel dial() throws IOException {
        AFUNIXSocketAddress server = endpoint.isAbstract() ? AFUNIXSocketAddress.inAbstractNamespace(endpoint.name())
                : AFUNIXSocketAddress.of(Path.of(endpoint.address()));
        switch (c.socket()) {
            case "datagram" -> {
                AFUNIXDatagramChannel ch = AFUNIXSelectorProvider.provider().openDatagramChannel(AFSocketType.SOCK_DGRAM);
                try {
                    ch.bind(AFUNIXSocketAddress.inAbstractNamespace(
                            "uds-interop-java-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet()));
                    ch.connect(server);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                return ch;
            }
            case "seqpacket" -> {
                AFUNIXDatagramChannel ch = AFUNIXSelectorProvider.provider().openDatagramChannel(AFSocketType.SOCK_SEQPACKET);
                try {
                    ch.connect(server);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                ch.setAncillaryReceiveBufferSize(ANCILLARY_BYTES);
                return ch;
            }
            default -> {
                AFUNIXSocketChannel ch = AFUNIXSocketChannel.open(server);
                ch.setAncillaryReceiveBufferSize(ANCILLARY_BYTES);
                return ch;
            }
        }
    }

    /** Writes each message (the descriptors with one of them), then half-closes if the case says so. */
    private Void write(ByteChannel channel, PassedPipes pipes) throws IOException {
        try {
            writeMessages(channel, pipes);
        } finally {
            writeEnded.complete(null);
        }
        return null;
    }

    private void writeMessages(ByteChannel channel, PassedPipes pipes) throws IOException {
        int with = pipes == null ? -1 : "last".equals(c.fdsWith()) ? messages.size() - 1 : 0;
        long pause = c.pauseMicros() * 1_000L;
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0 && pause > 0) {
                LockSupport.parkNanos(pause); // paced writes are the traffic under test
            }
            if (i == with) {
                ((AFUNIXSocketExtensions) channel).setOutboundFileDescriptors(pipes.writeEnds());
            }
            ByteBuffer buffer = ByteBuffer.wrap(messages.get(i));
            do { // a message goes in one write; a stream may take part, and the rest goes without the descriptors
                sent.addAndGet(channel.write(buffer));
            } while (buffer.hasRemaining() && !byMessage);
        }
        if (datagram) {
            quietFrom.set(System.nanoTime()); // from now on, a datagram that does not come back within the wait is lost
        }
        if (c.halfClose() && !datagram) {
            halfClosed = true;
            if (channel instanceof AFUNIXSocketChannel stream) {
                stream.shutdownOutput();
            } else {
                SeqpacketHalfClose.shutdownOutput(((AFUNIXDatagramChannel) channel).getFileDescriptor());
            }
            eofWait.halfClosed();
        }
    }

    /** Reads the echo, message by message on seqpacket and datagram sockets, to EOF, or until every datagram is back. */
    private Void read(ByteChannel channel, long connected) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_MESSAGE);
        int cap = payload.length + EchoCheck.EXTRA_MARGIN;
        AFUNIXSocketExtensions ancillary = (AFUNIXSocketExtensions) channel;
        if (payload.length == 0) {
            eofWait.echoComplete();
        }
        try {
            readMessages(channel, buffer, ancillary, cap, connected);
        } finally {
            readEnded.complete(null);
        }
        return null;
    }

    private void readMessages(ByteChannel channel, ByteBuffer buffer, AFUNIXSocketExtensions ancillary, int cap,
                              long connected) throws IOException {
        for (int i = 0; ; i++) {
            if (datagram && i == messages.size()) {
                break;
            }
            if (!c.halfClose() && !datagram && received.size() >= payload.length) {
                break;
            }
            buffer.clear();
            int n = channel.read(buffer);
            FileDescriptor[] fds = ancillary.getReceivedFileDescriptors();
            if (fds != null) {
                fdsBack.addAll(List.of(fds));
            }
            if (n < 0) {
                break;
            }
            if (n > 0) {
                long now = System.nanoTime();
                firstByte.compareAndSet(-1, now - connected);
                lastByte.set(now - connected);
                received.write(buffer.array(), 0, n);
                if (byMessage) {
                    messagesBack++;
                    if (boundary == 0 && (i >= messages.size() || n != messages.get(i).length)) {
                        boundary = i + 1;
                        boundaryLength = n;
                    }
                }
                if (datagram && quietFrom.get() != Long.MAX_VALUE) {
                    quietFrom.set(now);
                }
                if (received.size() >= payload.length) {
                    eofWait.echoComplete();
                }
                if (received.size() > cap) {
                    cut = true;
                    break;
                }
            }
        }
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    private static long remaining(long due) {
        return Math.max(0, due - System.nanoTime());
    }
}
