// SPDX-License-Identifier: Apache-2.0
// ProcFs: a process's CPU time, memory, threads, descriptors and TCP connections as Linux shows them in /proc.
package dev.udsinterop.harness.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Figures of a running process from {@code /proc/PID}, by its pid on this machine (a server in a container has
 * one too). Linux only; every reader returns -1 when the figure cannot be read (the process ended, or no /proc).
 */
public final class ProcFs {
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / clockTicks();

    private ProcFs() {
    }

    /**
     * Returns the CPU time of {@code pid} and its reaped children in ns ({@code /proc/PID/stat}: utime + stime +
     * cutime + cstime, so that socat's forks count), at clock-tick resolution.
     */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(proc(pid, "stat"));
            // The command name, in parentheses, may hold spaces: the fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Returns the resident memory now, in KiB ({@code VmRSS}). */
    public static long rssKiB(long pid) {
        return status(pid, "VmRSS");
    }

    /** Returns the highest resident memory since the process started, in KiB (the kernel's high-water mark, {@code VmHWM}). */
    public static long peakRssKiB(long pid) {
        return status(pid, "VmHWM");
    }

    /** Returns the resident memory of {@code pid} and all its descendants in bytes (socat's process per connection counts). */
    public static long treeRssBytes(long pid) {
        long own = rssKiB(pid);
        if (own < 0) {
            return -1;
        }
        try (Stream<ProcessHandle> children = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)) {
            return (own + children.mapToLong(h -> Math.max(0, rssKiB(h.pid()))).sum()) * 1024;
        }
    }

    public static long threads(long pid) {
        return status(pid, "Threads");
    }

    /** Returns how many file descriptors the process has open ({@code /proc/PID/fd}). */
    public static long descriptors(long pid) {
        try (Stream<Path> fds = Files.list(proc(pid, "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Returns the state of each socket {@code pid} holds, as its network namespace's TCP tables write it
     * ({@code /proc/PID/net/tcp} and {@code tcp6}: two hex digits, {@code 01} ESTABLISHED, {@code 07} CLOSE,
     * {@code 08} CLOSE_WAIT, ...), or {@code ""} for one in neither table (a unix socket, or a TCP connection
     * that was reset); empty when nothing can be read (the process ended, or no /proc). Callers asking at the same
     * time share one reading of the tables ({@link TcpTable}).
     */
    public static List<String> socketStates(long pid) {
        Map<String, String> states = new LinkedHashMap<>(); // by inode
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc(pid, "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (NoSuchFileException e) {
                    continue; // closed since the listing: not a socket it holds
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    states.put(target.substring("socket:[".length(), target.length() - 1), "");
                }
            }
            if (states.isEmpty()) {
                return List.of();
            }
            Map<String, String> table = TcpTable.of(pid).states(pid);
            states.replaceAll((inode, none) -> table.getOrDefault(inode, ""));
            return List.copyOf(states.values());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static long status(long pid, String field) {
        try (Stream<String> lines = Files.lines(proc(pid, "status"))) {
            return lines.filter(l -> l.startsWith(field + ":"))
                    .mapToLong(l -> Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]))
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Path proc(long pid, String name) {
        return Path.of("/proc", Long.toString(pid), name);
    }

    private static long clockTicks() {
        try {
            ShortCommand.Result r = ShortCommand.run(List.of("getconf", "CLK_TCK"), Duration.ofSeconds(5), true);
            return r.status() == 0 ? Long.parseLong(r.output().strip()) : 100;
        } catch (IOException | RuntimeException | TimeoutException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
