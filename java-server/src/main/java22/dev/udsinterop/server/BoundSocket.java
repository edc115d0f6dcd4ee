// SPDX-License-Identifier: Apache-2.0
// BoundSocket (Java 22+): a socket of any type bound at a path or an abstract name, and its file's removal.
package dev.udsinterop.server;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A socket bound at a {@link MessageAddress}. A path gets the lifecycle of the stream
 * server's: what is there is claimed first ({@link SocketPath#claim()}: a stale socket is
 * replaced, a live one or anything else refused), the file is created with the umask set to
 * the mode (no moment more open), and removed at {@link #close()} if it is still this
 * server's. An abstract name has no file; a name in use is refused by the bind.
 */
final class BoundSocket {
    final int fd;
    final MessageAddress address;
    private final Object fileKey;
    private boolean closed;

    private BoundSocket(int fd, MessageAddress address, Object fileKey) {
        this.fd = fd;
        this.address = address;
        this.fileKey = fileKey;
    }

    /**
     * Opens a socket of the address's kind and binds it.
     *
     * @throws ConfigurationException if the address cannot be used, naming it and the cause
     */
    static BoundSocket bind(Libc libc, MessageAddress address, SocketMode mode) {
        String network = address.kind().network();
        int fd;
        try {
            fd = libc.socket(address.kind().type());
        } catch (Libc.Failure e) {
            throw ConfigurationException.listen(network, address, e.getMessage());
        }
        try (Arena arena = Arena.ofConfined()) {
            var sockaddr = UnixSockaddr.of(arena, address);
            if (address.isAbstract()) {
                libc.bind(fd, sockaddr, (int) sockaddr.byteSize());
                return new BoundSocket(fd, address, null);
            }
            address.path().claim();
            int strict = 0777 & ~mode.bits();
            int previous = FileCreationMask.set(strict); // the file is born with the mode; no chmod window
            try {
                libc.bind(fd, sockaddr, (int) sockaddr.byteSize());
            } finally {
                if (previous >= 0) {
                    FileCreationMask.set(previous);
                }
            }
            Files.setPosixFilePermissions(address.path().path(), mode.permissions());
            Object key = Files.readAttributes(address.path().path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return new BoundSocket(fd, address, key);
        } catch (IOException e) { // Libc.Failure too
            Libc.close(fd);
            throw ConfigurationException.listen(network, address, e.getMessage());
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Wakes whoever is blocked on the socket (accept, recvmsg): they see it shut down. */
    void wake() {
        Libc.shutdown(fd);
    }

    /** Closes the socket and removes its file, if it is still the one this server created; once. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
        if (fileKey != null) {
            address.path().unlink(fileKey);
        }
    }
}
