// SPDX-License-Identifier: Apache-2.0
// ProcTcp: whether a client program's TCP connection was closed by the server, as the kernel shows it in /proc (Linux).
package dev.udsinterop.harness.peer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a client program cannot tell itself: nc over TCP keeps its stdout open after the
 * server's EOF until its own stdin ends (only a unix socket's hang-up ends its loop), so the
 * harness asks the kernel. A connection the server closed is in CLOSE_WAIT (its FIN arrived),
 * or gone from the table after a reset; one it has not closed is ESTABLISHED.
 */
final class ProcTcp {
    private static final String CLOSE_WAIT = "08";
    private static final String CLOSE = "07";

    private ProcTcp() {
    }

    /**
     * Returns true if process {@code pid} holds a socket and the server has closed every TCP
     * connection of it (CLOSE_WAIT or CLOSE, or no longer in its namespace's TCP tables).
     *
     * @throws IOException if /proc cannot be read (not Linux, or the process is gone)
     */
    static boolean closedByServer(long pid) throws IOException {
        Set<String> sockets = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[")) {
                    sockets.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        if (sockets.isEmpty()) {
            return false;
        }
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue; // no IPv6 here
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) { // after the header
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && sockets.contains(fields[9]) && !closedByServer(fields[3])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean closedByServer(String state) {
        return state.equals(CLOSE_WAIT) || state.equals(CLOSE);
    }
}
