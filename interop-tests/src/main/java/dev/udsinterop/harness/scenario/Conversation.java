// SPDX-License-Identifier: Apache-2.0
// Conversation: a scripted JDK client connection for scenarios: partial writes, exact reads, pauses, aborts, all under one deadline.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.peer.EchoCheck;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client connection a scenario drives step by step. Every blocking step honours the
 * deadline given at {@link #open}: past it the channel is closed and the step fails with
 * a {@link StepFailed} that says which step timed out.
 */
final class Conversation implements AutoCloseable {
    private final Endpoint endpoint;
    private final SocketChannel channel;
    private final long deadline;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private Conversation(Endpoint endpoint, SocketChannel channel, long deadline) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.deadline = deadline;
    }

    static Conversation open(Endpoint endpoint, long deadlineNanos) throws StepFailed {
        try {
            return new Conversation(endpoint, SocketChannel.open(endpoint.socketAddress()), deadlineNanos);
        } catch (IOException e) {
            throw new StepFailed(FailureKind.ERROR, "connect", endpoint, e.getMessage(), e);
        }
    }

    void send(byte[] bytes) throws StepFailed {
        step("write", () -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return null;
        });
    }

    /** Writes as much of {@code bytes} as the socket takes without blocking, in one write; returns how much. */
    int sendWhatFits(byte[] bytes) throws StepFailed {
        return step("write", () -> {
            channel.configureBlocking(false);
            try {
                return channel.write(ByteBuffer.wrap(bytes));
            } finally {
                channel.configureBlocking(true);
            }
        });
    }

    /** Reads exactly {@code n} bytes; fails on an earlier EOF. */
    byte[] receive(int n) throws StepFailed {
        return step("read", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new IOException("EOF after " + buffer.position() + " of " + n + " bytes");
                }
            }
            return buffer.array();
        });
    }

    /**
     * Reads until EOF, or until more than {@code expected} + {@link EchoCheck#EXTRA_MARGIN} bytes
     * came (a flood): then it stops and returns what it has, which is longer than that.
     */
    byte[] receiveToEof(int expected) throws StepFailed {
        long cap = (long) expected + EchoCheck.EXTRA_MARGIN;
        return step("read", () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (out.size() <= cap && channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        });
    }

    /** Returns true if {@code echo}, from {@link #receiveToEof}, stopped at the cap. */
    static boolean cut(byte[] echo, int expected) {
        return echo.length > (long) expected + EchoCheck.EXTRA_MARGIN;
    }

    /** A step that failed, {@code op java ADDRESS: cause}; of kind timeout if it did not finish by the deadline. */
    static final class StepFailed extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Failure failure;

        StepFailed(FailureKind kind, String op, Endpoint endpoint, String cause, Throwable e) {
            super(e);
            this.failure = Failure.of(kind, op, "java", endpoint, cause);
        }

        @Override
        public String getMessage() {
            return failure.message();
        }

        /** Returns the failure: of kind {@code timeout} if the step timed out, else of kind {@code otherwise}. */
        Failure failure(FailureKind otherwise) {
            return failure.kind() == FailureKind.TIMEOUT ? failure : failure.as(otherwise, failure.message());
        }
    }

    /** Waits until echoed bytes are waiting to be read, without reading them. */
    void awaitReadable() throws StepFailed {
        step("await echo", () -> {
            channel.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))) == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new TimeoutException();
                    }
                }
            }
            channel.configureBlocking(true);
            return null;
        });
    }

    void halfClose() throws StepFailed {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw new StepFailed(FailureKind.ERROR, "shutdown", endpoint, e.getMessage(), e);
        }
    }

    /**
     * Closes abruptly: on TCP with SO_LINGER 0, so the server gets a reset; on unix the
     * server's next write fails if echo was left unread.
     */
    void abort() throws IOException {
        if (endpoint.transport() == Transport.TCP && channel.isOpen()) {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        channel.close();
    }

    private <T> T step(String op, Callable<T> action) throws StepFailed {
        Future<T> f = executor.submit(action);
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            closeQuietly();
            throw new StepFailed(FailureKind.TIMEOUT, op, endpoint, "timed out", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new StepFailed(FailureKind.TIMEOUT, op, endpoint, "timed out", e.getCause());
            }
            throw new StepFailed(FailureKind.ERROR, op, endpoint, e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new StepFailed(FailureKind.ERROR, op, endpoint, "interrupted", e);
        }
    }

    /** Closes the channel of a step that is given up; a failure to close says nothing more about the server. */
    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // the step's own failure is the one to report
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        executor.shutdownNow();
    }
}
