// SPDX-License-Identifier: Apache-2.0
// OutputTail: the last lines a process wrote (a server's stderr, a client agent's), kept as evidence for failures.
package dev.udsinterop.harness.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The last {@value #LINES} lines of one output stream, thread-safe: a reader thread adds, a failure reads. The
 * same number everywhere, so that evidence from a process here and from one in a container reads alike.
 */
public final class OutputTail {
    /** How many lines are kept: enough for a stack trace's top and a few log lines, short enough for a report. */
    public static final int LINES = 40;

    private final ArrayDeque<String> lines = new ArrayDeque<>();

    public synchronized void add(String line) {
        if (lines.size() == LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Adds every line of {@code in} until it ends (the process closed it, or ended); call from a reader thread. */
    public void keep(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public synchronized boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Returns the kept lines, one a line. */
    public synchronized String text() {
        return String.join("\n", lines);
    }

    /** Returns the kept lines on one line, for a one-line message. */
    public synchronized String oneLine() {
        return String.join(" ", lines);
    }

    /** Returns {@code state} followed by the kept lines: the evidence of a process that failed a case. */
    public String evidence(String state) {
        String tail = text();
        return tail.isEmpty() ? state + " (stderr empty)" : state + "; its stderr ends with:\n" + tail;
    }
}
