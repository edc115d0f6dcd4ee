// SPDX-License-Identifier: Apache-2.0
// ProcStats: a server's CPU time and resident memory, read from /proc, its forked children included.
package dev.udsinterop.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a process's CPU time ({@code /proc/PID/stat}: utime + stime + cutime + cstime, so that socat's reaped
 * children count) and resident memory ({@code VmRSS} of {@code /proc/PID/status}, summed over the process and
 * its descendants, so that socat's process per connection counts). Linux only; -1 when unreadable.
 */
final class ProcStats {
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / clockTicks();

    private ProcStats() {
    }

    /** Returns the CPU time of {@code pid} and its reaped children in ns, at clock-tick resolution, or -1. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name, in parentheses, may hold spaces: the fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Returns the resident memory of {@code pid} and its descendants in bytes, or -1. */
    static long rssBytes(long pid) {
        long own = rssOf(pid);
        if (own < 0) {
            return -1;
        }
        try (Stream<ProcessHandle> children = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)) {
            return own + children.mapToLong(h -> Math.max(0, rssOf(h.pid()))).sum();
        }
    }

    private static long rssOf(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.replaceAll("[^0-9]", ""))
                    .mapToLong(kib -> Long.parseLong(kib) * 1024).findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
