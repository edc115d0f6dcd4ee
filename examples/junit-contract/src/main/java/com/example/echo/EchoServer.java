// SPDX-License-Identifier: Apache-2.0
// EchoServer: the example project's own server, a small echo server on a unix socket written with the JDK only.
package com.example.echo;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sun.misc.Signal;

/**
 * {@code java com.example.echo.EchoServer --unix PATH}: echoes every connection's bytes until the client
 * half-closes, then half-closes too. It replaces a stale socket file, refuses a path that holds anything else
 * or a live server, prints {@code listening unix:PATH} once it accepts, and on SIGTERM or SIGINT stops
 * accepting, removes its socket file, lets open connections finish (10 s at most) and exits 0.
 */
public final class EchoServer {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final ServerSocketChannel listener;
    /** One party per open connection, plus the server's own. */
    private final Phaser open = new Phaser(1);

    private EchoServer(Path path, ServerSocketChannel listener) {
        this.path = path;
        this.listener = listener;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--unix")) {
            System.err.println("usage: EchoServer --unix PATH");
            System.exit(2);
        }
        Path path = Path.of(args[1]);
        String refusal = refusal(path);
        if (refusal != null) {
            System.err.println("echo-server: " + path + ": " + refusal);
            System.exit(1);
        }
        Files.deleteIfExists(path);
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        EchoServer server = new EchoServer(path, listener);
        Signal.handle(new Signal("TERM"), s -> server.stop());
        Signal.handle(new Signal("INT"), s -> server.stop());
        System.out.println("listening unix:" + path);
        System.out.flush();
        server.serve();
        server.drain();
        System.exit(0);
    }

    /** Returns why the server must not take {@code path}, or null if it is free or holds a stale socket. */
    private static String refusal(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            return "exists and is not a socket";
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return "another server listens there";
        } catch (IOException stale) {
            return null;
        }
    }

    private void serve() {
        while (true) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException stopped) {
                return; // stop() closed the listener
            } catch (IOException e) {
                System.err.println("echo-server: accept: " + e.getMessage());
                continue;
            }
            open.register();
            // A platform thread per connection: blocking I/O on it needs no poller descriptors, so the server's
            // descriptors after its connections closed are the ones it had before (lifecycle.fd-baseline).
            Thread.ofPlatform().start(() -> echo(client));
        }
    }

    private void echo(SocketChannel client) {
        try (client) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (client.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    client.write(buffer);
                }
                buffer.clear();
            }
            client.shutdownOutput();
        } catch (IOException e) {
            // The client went away (reset, closed early): only this connection ends.
        } finally {
            open.arriveAndDeregister();
        }
    }

    /** Stops accepting and removes the socket file; main then drains the open connections and exits. */
    private void stop() {
        try {
            listener.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("echo-server: stop: " + e.getMessage());
        }
    }

    /** Waits for the open connections to end, 10 s at most. */
    private void drain() throws InterruptedException {
        try {
            open.awaitAdvanceInterruptibly(open.arrive(), 10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("echo-server: " + open.getUnarrivedParties() + " connections still open after 10 s");
        }
    }
}
