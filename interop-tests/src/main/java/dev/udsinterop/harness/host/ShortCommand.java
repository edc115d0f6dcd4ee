// SPDX-License-Identifier: Apache-2.0
// ShortCommand: a helper program run for its few lines of output, within a deadline, killed with a clear message if it overruns.
package dev.udsinterop.harness.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a program that answers and exits ({@code getconf}, a mutant binary's {@code -list}, a client's
 * {@code -capabilities}). Its output is read by a thread of its own while this waits for the exit with a deadline:
 * reading to the end first, then waiting with a timeout, has no deadline at all, since the end of the output comes
 * only when the program and every child that inherited its stdout have closed it.
 */
public final class ShortCommand {
    /** How long the output may still take once the program exited (a child of it that holds the pipe open). */
    private static final Duration DRAIN = Duration.ofSeconds(1);

    /** What the program printed, and its exit status. */
    public record Result(int status, String output) {
    }

    private ShortCommand() {
    }

    /**
     * Runs {@code command} with stderr merged into its output if {@code withStderr} (else discarded), and returns its
     * status and output once it exited.
     *
     * @throws TimeoutException if it did not exit within {@code limit}: it was killed; the message names the command
     *     and the limit
     * @throws IOException if it could not be started
     */
    public static Result run(List<String> command, Duration limit, boolean withStderr)
            throws IOException, InterruptedException, TimeoutException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (withStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().name("uds-interop-output-" + p.pid()).start(() -> copy(p.getInputStream(), out));
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException(String.join(" ", command) + " did not exit within " + seconds(limit)
                        + " (killed)" + said(out));
            }
            if (!reader.join(DRAIN)) {
                p.getInputStream().close(); // a child holds the pipe: what came is the answer
            }
            synchronized (out) {
                return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // closed after the drain, or the program ended: what came is kept
        }
    }

    private static String said(ByteArrayOutputStream out) {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ');
        }
        return text.isEmpty() ? "" : "; it printed: " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
