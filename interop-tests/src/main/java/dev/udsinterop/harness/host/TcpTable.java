// SPDX-License-Identifier: Apache-2.0
// TcpTable: the state of a network namespace's TCP sockets by inode, one reading of its tables shared by all who ask at once.
package dev.udsinterop.harness.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reading of {@code /proc/PID/net/tcp} and {@code tcp6} costs time in proportion to every TCP socket of the
 * namespace, TIME_WAIT included: tens of thousands where other runs and benchmarks connect over TCP (each lingers
 * 60 s, up to {@code tcp_max_tw_buckets}, 131072 here). When each of a case's 16 nc connections read the tables
 * itself at the barrier, that was 16 full readings at once: 2-8 s under load at 25-75k entries, past the case's 15 s
 * deadline beyond that. So callers who ask at the same time share one reading: each gets the first reading that
 * started after it asked (never an older one, so the state is as fresh as its own reading would have been);
 * readings run one at a time, and all who asked while one ran share the next. Only sockets with an inode are kept
 * (TIME_WAIT entries have none), so a reading holds a few entries however full the tables are.
 */
final class TcpTable {
    private static final Map<String, TcpTable> BY_NAMESPACE = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private Map<String, String> latest; // guarded by lock; null when no caller waits for it
    private long latestStarted; // guarded by lock: System.nanoTime when the latest reading started
    private int readings; // guarded by lock

    /** Returns the table of {@code pid}'s network namespace. */
    static TcpTable of(long pid) throws IOException {
        String namespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
        return BY_NAMESPACE.computeIfAbsent(namespace, n -> new TcpTable());
    }

    /**
     * Returns the state of every TCP socket with an inode in {@code pid}'s namespace, by inode, as the tables write it
     * ({@code 01} ESTABLISHED, {@code 08} CLOSE_WAIT, ...), from a reading that started after this call did.
     */
    Map<String, String> states(long pid) throws IOException {
        return states(() -> read(pid));
    }

    /** {@link #states(long)} with the reading given, for tests. */
    Map<String, String> states(Reader reader) throws IOException {
        long asked = System.nanoTime();
        lock.lock();
        try {
            if (latest == null || latestStarted - asked < 0) {
                long started = System.nanoTime();
                latest = reader.read();
                latestStarted = started;
                readings++;
            }
            Map<String, String> states = latest;
            if (!lock.hasQueuedThreads()) {
                latest = null; // whoever asks from now on needs a newer reading: keep nothing
            }
            return states;
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many readings were made, for tests. */
    int readings() {
        lock.lock();
        try {
            return readings;
        } finally {
            lock.unlock();
        }
    }

    /** Returns how many callers wait for a reading, for tests. */
    int waiting() {
        return lock.getQueueLength();
    }

    /** A reading of the tables. */
    interface Reader {
        Map<String, String> read() throws IOException;
    }

    private static Map<String, String> read(long pid) throws IOException {
        Map<String, String> states = new HashMap<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            Path path = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(path)) {
                continue; // no IPv6 here
            }
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(Files.newInputStream(path), StandardCharsets.ISO_8859_1), 1 << 16)) {
                lines.readLine(); // the header
                String line;
                while ((line = lines.readLine()) != null) {
                    parse(line, states);
                }
            }
        }
        return states;
    }

    /**
     * Adds the state of the socket on {@code line} ({@code sl local_address rem_address st tx_queue:rx_queue
     * tr:tm->when retrnsmt uid timeout inode ...}) unless it has no inode; splits by hand, a regex per line of 100k
     * lines being most of the cost of a reading.
     */
    static void parse(String line, Map<String, String> states) {
        String state = null;
        int field = 0;
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            if (start == i) {
                return;
            }
            if (field == 3) {
                state = line.substring(start, i);
            } else if (field == 9) {
                if (!(i - start == 1 && line.charAt(start) == '0')) {
                    states.put(line.substring(start, i), state);
                }
                return;
            }
            field++;
        }
    }
}
