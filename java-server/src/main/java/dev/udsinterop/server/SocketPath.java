// SPDX-License-Identifier: Apache-2.0
// SocketPath: a Unix domain socket's file, from the checks before bind to the unlink at shutdown.
package dev.udsinterop.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The file system path of a Unix domain socket, absolute and checked against the kernel's
 * limit of {@value #MAX_BYTES} bytes (108 with the terminating NUL).
 *
 * <p>Ownership of the file is explicit. {@link #claim()} makes the path free: nothing there,
 * or a <em>stale</em> socket (one nobody accepts on, left by a killed server), which it
 * removes. It never removes or follows anything else: a live socket, a regular file, a
 * directory, a symbolic link. {@link #bind} creates the socket file with its final mode
 * already set, and {@link #unlink(Object)} removes it at shutdown only if it is still the
 * file this server created.
 */
public final class SocketPath {
    /** The longest socket path the kernel takes, in bytes, without the terminating NUL. */
    public static final int MAX_BYTES = 107;

    private static final int S_IFMT = 0170000;
    private static final System.Logger LOG = System.getLogger(SocketPath.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;

    private SocketPath(Path path) {
        this.path = path;
    }

    /**
     * Returns the socket path for {@code text}, made absolute.
     *
     * @throws ConfigurationException if the path is empty, not a valid path, or longer than
     *     {@value #MAX_BYTES} bytes once absolute
     */
    public static SocketPath of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw ConfigurationException.listen("unix", "''", "empty socket path");
        }
        Path path;
        try {
            path = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ConfigurationException.listen("unix", text, "not a valid path: " + e.getReason());
        }
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw ConfigurationException.listen("unix", path,
                    "path is " + bytes + " bytes, longer than the " + MAX_BYTES + "-byte limit for a socket path");
        }
        return new SocketPath(path);
    }

    /** Returns the absolute path. */
    public Path path() {
        return path;
    }

    /**
     * Makes the path free for {@link #bind}: succeeds when nothing is there, removes a stale
     * socket, and refuses everything else.
     *
     * @throws ConfigurationException if a live server listens there, or anything but a socket
     *     is at the path, or the path cannot be inspected
     */
    void claim() {
        int mode;
        Object key;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            key = fileKey();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw fail(e);
        }
        String kind = kind(mode);
        if (kind != null) {
            throw ConfigurationException.listen("unix", path, kind + " is in the way (not removed)");
        }
        if (isLive()) {
            throw ConfigurationException.listen("unix", path, "a server is already listening there");
        }
        try {
            // Narrows, but cannot close, the race with a server that replaces the file meanwhile.
            if (key.equals(fileKey())) {
                Files.delete(path);
                LOG.log(System.Logger.Level.INFO, "removed stale socket {0}", path);
            }
        } catch (NoSuchFileException e) {
            // someone else removed it: the path is free
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** Returns what is at the path when it is not a socket, for example "a regular file"; null for a socket. */
    private static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case 0140000 -> null;
            case 0120000 -> "a symbolic link";
            case 0100000 -> "a regular file";
            case 0040000 -> "a directory";
            case 0010000 -> "a named pipe";
            case 0020000, 0060000 -> "a device file";
            default -> "a file of unknown type";
        };
    }

    /**
     * Tells a live socket from a stale one by connecting. Only ECONNREFUSED, which the JDK
     * reports as a {@link ConnectException}, means nobody accepts there; for any other error
     * the file itself decides (gone: free; not writable: cannot be checked), never the
     * error's message, which depends on the locale and the JDK.
     */
    private boolean isLive() {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(path));
            return true; // connected, or in progress (a full backlog): either way somebody listens
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return false; // vanished meanwhile: free
            }
            if (!Files.isWritable(path)) { // connecting needs write permission
                throw ConfigurationException.listen("unix", path,
                        "a socket is there that this user may not connect to, so it cannot be checked for staleness (not removed)");
            }
            return true; // anything else: assume somebody is there, and leave it
        }
    }

    /**
     * Binds {@code channel} at this path with permissions {@code mode} and returns the file's
     * key for {@link #unlink(Object)}.
     *
     * <p>The JDK cannot set the umask, so binding at the path and then calling chmod would leave
     * the socket open to whatever the umask allows until chmod runs. Instead the socket is bound
     * in a fresh directory only the owner can enter, gets its mode there, and is then hard-linked
     * into place. link(2) never replaces an existing file, so a file that appeared at the path
     * since {@link #claim()} is not lost either.
     *
     * @throws ConfigurationException if the directory is missing or not writable, or the path
     *     was taken meanwhile
     */
    Object bind(ServerSocketChannel channel, SocketMode mode, int backlog) {
        Path parent = path.getParent();
        // Bytes left for the directory's name in PARENT/NAME/s.
        int room = MAX_BYTES - parent.toString().getBytes(StandardCharsets.UTF_8).length - "/".length() - "/s".length();
        if (room < 2) {
            return bindInPlace(channel, mode, backlog); // no room for the private directory
        }
        Path dir = null;
        Path temporary = null;
        try {
            dir = createPrivateDirectory(parent, Math.min(room, 10));
            temporary = dir.resolve("s");
            channel.bind(UnixDomainSocketAddress.of(temporary), backlog);
            Files.setPosixFilePermissions(temporary, mode.permissions());
            Files.createLink(path, temporary);
            return fileKey();
        } catch (FileAlreadyExistsException e) {
            throw ConfigurationException.listen("unix", path, "the path was taken by another file while binding");
        } catch (IOException e) {
            throw fail(e);
        } finally {
            deleteQuietly(temporary);
            deleteQuietly(dir);
        }
    }

    /**
     * Binds at the path itself, for a path too close to the limit for the private directory.
     * The socket is created with the umask's mode, so the umask is set to admit no more than
     * {@code mode} first (Java 22+); where that cannot be done and the umask is looser, the
     * path is refused rather than exposed.
     */
    private Object bindInPlace(ServerSocketChannel channel, SocketMode mode, int backlog) {
        int strict = 0777 & ~mode.bits();
        int previous = FileCreationMask.set(strict);
        try {
            int umask = previous < 0 ? currentUmask() : strict;
            if ((0777 & ~umask & ~mode.bits()) != 0) {
                throw ConfigurationException.listen("unix", path, String.format(
                        "too close to the %d-byte limit for a private directory, and this Java cannot set the umask "
                        + "(%04o), so the socket would be more open than %s until chmod: shorten the path by 3 bytes, "
                        + "or start with umask %04o, or use Java 22+", MAX_BYTES, umask, mode, strict));
            }
            channel.bind(UnixDomainSocketAddress.of(path), backlog);
            Files.setPosixFilePermissions(path, mode.permissions());
            return fileKey();
        } catch (IOException e) {
            throw fail(e);
        } finally {
            if (previous >= 0) {
                FileCreationMask.set(previous);
            }
        }
    }

    /** Returns the process's umask from /proc, or 0 (the loosest) when it cannot be read. */
    private static int currentUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an old kernel: assume the worst
        }
        return 0;
    }

    private static Path createPrivateDirectory(Path parent, int nameLength) throws IOException {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int attempt = 0; ; attempt++) {
            StringBuilder name = new StringBuilder(".");
            for (int i = 1; i < nameLength; i++) {
                name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            try {
                return Files.createDirectory(parent.resolve(name.toString()),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    /**
     * Removes the socket file if it is still the one with {@code key}, the file this server
     * bound. A file that another server put at the path since is left alone, unless it got the
     * removed file's inode number: call this once per file (see {@link Listener}).
     */
    void unlink(Object key) {
        try {
            if (key != null && key.equals(fileKey())) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "remove {0}: {1}", path, e.getMessage());
        }
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private ConfigurationException fail(IOException e) {
        String cause;
        if (e instanceof NoSuchFileException) {
            cause = "directory " + path.getParent() + " does not exist";
        } else if (e instanceof AccessDeniedException) {
            cause = "permission denied (cannot create a socket in " + path.getParent() + ")";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            cause = fse.getReason();
        } else {
            cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return ConfigurationException.listen("unix", path, cause);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover in a private directory harms nobody; the bind error, if any, matters more
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketPath that && path.equals(that.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
