// SPDX-License-Identifier: Apache-2.0
// Listener: one bound, listening server socket (unix or tcp) and the file it owns, if any.
package dev.udsinterop.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A listening server socket. For a Unix domain socket it also owns the socket file and
 * removes it once, at {@link #removeFile()} or else {@link #close()}, and only if the file is
 * still the one it bound.
 *
 * <p>Once is a promise, not a saving: the file is told from others by (device, inode) alone,
 * and once it is removed and every socket bound to it has closed, the file system may give
 * its inode number to the next file at the path, a successor's socket say (ext4 does at
 * once). So the key is forgotten at the first removal, whatever it found, and no later
 * step of the shutdown (the close after the grace period, the JVM's shutdown hook) looks
 * at the path again.
 */
final class Listener implements Closeable {
    private final ListenAddress address;
    private final ServerSocketChannel channel;
    private final AtomicReference<Object> fileKey; // null once the removal was done
    private final String endpoint;
    private volatile boolean refusingConnects;

    private Listener(ListenAddress address, ServerSocketChannel channel, Object fileKey, String endpoint) {
        this.address = address;
        this.channel = channel;
        this.fileKey = new AtomicReference<>(fileKey);
        this.endpoint = endpoint;
    }

    /**
     * Binds and listens at {@code address}.
     *
     * @throws ConfigurationException if the address cannot be used (see {@link SocketPath#claim()})
     * @throws IOException on an unexpected failure to open the socket
     */
    static Listener open(ListenAddress address, SocketMode mode, int backlog) throws IOException {
        return switch (address) {
            case ListenAddress.Unix unix -> openUnix(unix, mode, backlog);
            case ListenAddress.Tcp tcp -> openTcp(tcp, backlog);
        };
    }

    private static Listener openUnix(ListenAddress.Unix unix, SocketMode mode, int backlog) throws IOException {
        SocketPath path = unix.path();
        path.claim();
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Object key = path.bind(channel, mode, backlog);
            channel.configureBlocking(false);
            return new Listener(unix, channel, key, "unix:" + path);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    private static Listener openTcp(ListenAddress.Tcp tcp, int backlog) throws IOException {
        InetSocketAddress socketAddress = tcp.resolve();
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.bind(socketAddress, backlog);
            channel.configureBlocking(false);
        } catch (SocketException | UnresolvedAddressException e) { // in use, no permission, unresolvable
            channel.close();
            throw ConfigurationException.listen("tcp", tcp, e.getMessage() == null ? "cannot bind" : e.getMessage());
        }
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        String host = tcp.host().isEmpty()
                ? (socketAddress.getAddress().getAddress().length == 16 ? "[::]" : "0.0.0.0")
                : tcp.hostText();
        return new Listener(tcp, channel, null, "tcp:" + host + ":" + port);
    }

    ServerSocketChannel channel() {
        return channel;
    }

    boolean isTcp() {
        return address instanceof ListenAddress.Tcp;
    }

    /** Returns the endpoint as the ready line names it: {@code unix:/abs/path} or {@code tcp:HOST:PORT}. */
    String endpoint() {
        return endpoint;
    }

    /**
     * Removes the socket file this listener created, if it is still that file; the socket still
     * accepts. Only the first call looks at the path; later ones do nothing.
     */
    void removeFile() {
        Object key = fileKey.getAndSet(null);
        if (key != null && address instanceof ListenAddress.Unix unix) {
            unix.path().unlink(key);
        }
    }

    /**
     * Makes a Unix domain listener refuse new clients while those already in its backlog can
     * still be accepted (shutdown(2), see {@link ConnectRefusal}); does nothing for TCP, or
     * where this Java cannot. Once it did, an accept that finds nothing means nothing more
     * will come.
     */
    synchronized void refuseConnects() {
        if (address instanceof ListenAddress.Unix && channel.isOpen()) {
            refusingConnects = ConnectRefusal.refuse(channel);
        }
    }

    /** Returns true once {@link #refuseConnects()} made the socket refuse new clients. */
    boolean refusesConnects() {
        return refusingConnects;
    }

    /** Stops listening and removes the socket file, unless {@link #removeFile()} did already. Idempotent. */
    @Override
    public synchronized void close() throws IOException { // not during refuseConnects: it uses the descriptor number
        try {
            channel.close();
        } finally {
            removeFile();
        }
    }
}
