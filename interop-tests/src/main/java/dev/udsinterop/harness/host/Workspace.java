// SPDX-License-Identifier: Apache-2.0
// Workspace: the short-named temporary directories a run puts sockets in, all removed at the end.
package dev.udsinterop.harness.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    public synchronized void delete(Path dir) {
        directories.remove(dir);
        DirectoryTree.delete(dir);
    }

    /** Removes every directory this workspace made, with everything in it. */
    @Override
    public synchronized void close() {
        directories.forEach(DirectoryTree::delete);
        directories.clear();
    }
}
