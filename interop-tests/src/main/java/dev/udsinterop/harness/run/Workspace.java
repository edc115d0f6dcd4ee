// SPDX-License-Identifier: Apache-2.0
// Workspace: the short-named temporary directories a run puts sockets in, all removed at the end.
package dev.udsinterop.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories for sockets. Their names are short on purpose: a socket path must
 * fit in 107 bytes (and the JDK's own clients stop at 106), so they live in the system
 * temporary directory with a four-letter prefix, as Go's net tests do.
 */
public final class Workspace implements AutoCloseable {
    private final List<Path> directories = new ArrayList<>();

    /** Returns a new, empty, short-named directory, removed by {@link #close()}. */
    public synchronized Path newDirectory() {
        try {
            Path dir = Files.createTempDirectory("uds-");
            directories.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** Removes {@code dir} and everything in it now. */
    synchronized void delete(Path dir) {
        directories.remove(dir);
        deleteTree(dir);
    }

    /** Removes every directory this workspace made, with everything in it. */
    @Override
    public synchronized void close() {
        directories.forEach(Workspace::deleteTree);
        directories.clear();
    }

    /** Removes {@code dir} and everything in it; a failure is logged, not thrown (cleanup must go on). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(Workspace.class.getName()).log(System.Logger.Level.WARNING, "remove " + dir + ": " + e.getMessage());
        }
    }
}
