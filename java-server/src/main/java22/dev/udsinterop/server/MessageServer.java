// SPDX-License-Identifier: Apache-2.0
// MessageServer (Java 22+): the sockets the JDK cannot serve (seqpacket, datagram, abstract names, descriptors), via java.lang.foreign.
package dev.udsinterop.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Serves the {@link MessageAddress}es: SOCK_SEQPACKET listeners and abstract-name stream
 * listeners (one platform thread per connection, {@link MessageConnection}: messages kept
 * whole, descriptors passed back) and SOCK_DGRAM sockets ({@link DatagramEcho}). The stream
 * server on paths and TCP ({@link EchoServer}) is not involved: its speed does not change.
 *
 * <p>Its shutdown has the stream server's steps: {@link #stopAccepting()} ends the accept
 * and datagram loops and removes the socket files; {@link #awaitDrained} lets the open
 * connections finish; {@link #close()} ends the rest.
 */
final class MessageServer implements AutoCloseable {
    private static final int BACKLOG = 1024;
    private static final long JOIN_MS = 5000;

    private final List<MessageAddress> addresses;
    private final List<MessageListener> listeners = new ArrayList<>();
    private final List<DatagramEcho> datagrams = new ArrayList<>();
    private final List<Thread> loops = new ArrayList<>();
    private final Set<MessageConnection> open = new HashSet<>();
    private boolean stopped;
    private boolean acceptStopped;

    private MessageServer(List<MessageAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** Returns true if this Java can serve these sockets: true. */
    static boolean supported() {
        return true;
    }

    /**
     * Binds every address, then starts serving. On failure nothing stays bound and no socket
     * file is left behind.
     *
     * @throws ConfigurationException if an address cannot be used
     */
    static MessageServer start(List<MessageAddress> addresses, SocketMode mode) {
        MessageServer server = new MessageServer(addresses);
        List<BoundSocket> bound = new ArrayList<>();
        try (Libc libc = new Libc()) {
            for (MessageAddress address : addresses) {
                BoundSocket socket = BoundSocket.bind(libc, address, mode);
                bound.add(socket);
                if (address.kind() == MessageAddress.Kind.DATAGRAM) {
                    server.datagrams.add(new DatagramEcho(socket));
                } else {
                    try {
                        libc.listen(socket.fd, BACKLOG);
                    } catch (Libc.Failure e) {
                        throw ConfigurationException.listen(address.kind().network(), address, e.getMessage());
                    }
                    server.listeners.add(new MessageListener(socket, fd -> server.serve(fd, address.kind())));
                }
            }
        } catch (RuntimeException e) {
            bound.forEach(BoundSocket::close);
            throw e;
        }
        for (MessageListener l : server.listeners) {
            server.loops.add(Thread.ofPlatform().name("accept " + l.socket().address).start(l));
        }
        for (DatagramEcho d : server.datagrams) {
            server.loops.add(Thread.ofPlatform().name("datagram " + d.socket().address).start(d));
        }
        return server;
    }

    private void serve(int fd, MessageAddress.Kind kind) {
        MessageConnection[] self = new MessageConnection[1];
        MessageConnection c = new MessageConnection(fd, kind, () -> forget(self[0]));
        self[0] = c;
        synchronized (this) {
            if (stopped) {
                Libc.close(fd); // accepted as the server closed: nobody will serve it
                return;
            }
            open.add(c);
        }
        Thread.ofPlatform().name(kind.network() + " connection").start(c);
    }

    private synchronized void forget(MessageConnection c) {
        open.remove(c);
        notifyAll();
    }

    /** Returns the ready lines, in the order of the addresses. */
    List<String> readyLines() {
        return addresses.stream().map(MessageAddress::readyLine).toList();
    }

    /** Stops the accept and datagram loops, closes their sockets and removes their files; connections go on. */
    void stopAccepting() {
        synchronized (this) {
            if (acceptStopped) {
                return; // once: the descriptors are closed, and their numbers may be another socket's now
            }
            acceptStopped = true;
        }
        listeners.forEach(MessageListener::stop);
        datagrams.forEach(DatagramEcho::stop);
        for (Thread t : loops) {
            try {
                t.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        listeners.forEach(l -> l.socket().close());
        datagrams.forEach(d -> d.socket().close());
    }

    /** Waits up to {@code grace} for the open connections to end; returns true if they did. */
    synchronized boolean awaitDrained(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!open.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Returns the number of open connections. */
    synchronized int connections() {
        return open.size();
    }

    /** Stops accepting if that is not done yet, ends every open connection and waits for them, bounded. */
    @Override
    public void close() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        stopAccepting();
        synchronized (this) {
            open.forEach(MessageConnection::abort);
            long deadline = System.nanoTime() + JOIN_MS * 1_000_000;
            try {
                while (!open.isEmpty() && System.nanoTime() < deadline) {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
