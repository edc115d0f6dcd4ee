// SPDX-License-Identifier: Apache-2.0
// MessageListener (Java 22+): accepts seqpacket or abstract-stream connections on its own thread, one thread per connection.
package dev.udsinterop.server;

import java.util.function.Consumer;

/**
 * The accept loop of one listening {@link BoundSocket}. Each accepted connection is handed to
 * {@code onAccept}. When the process is out of descriptors or memory it waits and retries,
 * 5 ms doubling to 1 s, as the stream server's {@link AcceptBackoff} does. {@link #stop()}
 * wakes the loop by shutting the socket down, which makes accept(2) fail with EINVAL.
 */
final class MessageListener implements Runnable {
    private static final System.Logger LOG = System.getLogger(MessageListener.class.getName());

    private final BoundSocket socket;
    private final Consumer<Integer> onAccept;
    private volatile boolean stopping;

    MessageListener(BoundSocket socket, Consumer<Integer> onAccept) {
        this.socket = socket;
        this.onAccept = onAccept;
    }

    BoundSocket socket() {
        return socket;
    }

    @Override
    public void run() {
        long delay = 0;
        try (Libc libc = new Libc()) {
            while (!stopping) {
                int fd;
                try {
                    fd = libc.accept(socket.fd);
                } catch (Libc.Failure e) {
                    if (stopping) {
                        return;
                    }
                    if (!temporary(e.errno)) {
                        LOG.log(System.Logger.Level.ERROR, "accept {0}: {1}; no longer accepting there", socket.address, e.getMessage());
                        return;
                    }
                    delay = delay == 0 ? 5 : Math.min(delay * 2, 1000);
                    LOG.log(System.Logger.Level.WARNING, "accept {0}: {1}; retrying in {2} ms", socket.address, e.getMessage(),
                            String.valueOf(delay));
                    Thread.sleep(delay); // a back-off, not a synchronisation: the resource may come back
                    continue;
                }
                delay = 0;
                onAccept.accept(fd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean temporary(int errno) {
        return errno == Libc.EMFILE || errno == Libc.ENFILE || errno == Libc.ENOBUFS || errno == Libc.ENOMEM
                || errno == Libc.ECONNABORTED || errno == Libc.EAGAIN;
    }

    /** Stops accepting: the loop ends; the caller closes the socket once it has. */
    void stop() {
        stopping = true;
        socket.wake();
    }
}
