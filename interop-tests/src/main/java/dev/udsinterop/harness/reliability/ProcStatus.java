// SPDX-License-Identifier: Apache-2.0
// ProcStatus: a process's memory, threads and descriptors as Linux shows them in /proc.
package dev.udsinterop.harness.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of a running process from {@code /proc/PID}; -1 when they cannot be read (it ended). */
final class ProcStatus {
    private ProcStatus() {
    }

    /** Resident memory now, in KiB. */
    static long rssKiB(long pid) {
        return field(pid, "VmRSS");
    }

    /** The highest resident memory since the process started, in KiB (the kernel's high-water mark). */
    static long peakRssKiB(long pid) {
        return field(pid, "VmHWM");
    }

    static long threads(long pid) {
        return field(pid, "Threads");
    }

    static long descriptors(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // ended
        }
        return -1;
    }
}
