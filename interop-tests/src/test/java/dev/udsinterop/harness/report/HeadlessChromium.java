// SPDX-License-Identifier: Apache-2.0
// HeadlessChromium: Debian's chromium prints a page's DOM after its load event, and leaves nothing running or in /tmp, also when it fails.
package dev.udsinterop.harness.report;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything chromium writes goes under the caller's directory (a JUnit {@code @TempDir}, removed also when the test
 * fails): its profile ({@code --user-data-dir}) and its temporary files ({@code TMPDIR}; by default it makes
 * {@code /tmp/org.chromium.Chromium.*}, which a killed chromium leaves there). Its processes (zygotes, renderers, the
 * GPU and network processes, the crash handler) are all stopped before this returns, so none still writes into the
 * directory while JUnit removes it.
 */
final class HeadlessChromium {
    /** How long the processes of a stopped chromium may take to be gone. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    private HeadlessChromium() {
    }

    /**
     * Opens {@code page} at {@code width} x 1024 and returns the DOM it printed after the page's load event.
     *
     * @throws IOException if chromium is not installed, or did not print the page within {@code limit}
     */
    static String dumpDom(Path dir, URI page, int width, Duration limit) throws IOException, InterruptedException {
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // --no-sandbox: the suite may run as root (CI containers), where chromium's sandbox refuses to start.
        ProcessBuilder builder = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"), "--window-size=" + width + ",1024",
                "--dump-dom", page.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("TMPDIR", tmp.toString());
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new IOException("chromium is not installed (./uds-interop setup installs it for the tests): "
                    + e.getMessage(), e);
        }
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("chromium did not print the page within " + limit.toSeconds() + " s; its log: "
                        + Files.readString(err).strip());
            }
        } finally {
            stop(p, dir);
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited with status " + p.exitValue() + "; its log:\n" + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /**
     * Stops chromium and every process it started: its descendants, taken before it ends (then they are no longer
     * its), and the crash handlers, which detach at once; each names {@code dir} in its arguments.
     */
    private static void stop(Process p, Path dir) throws InterruptedException {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
        ProcessHandle.allProcesses().filter(h -> mentions(h, dir) && !all.contains(h)).forEach(all::add);
        all.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        List<CompletableFuture<ProcessHandle>> exits = all.stream().map(ProcessHandle::onExit).toList();
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(GONE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            p.waitFor(GONE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("chromium's processes did not end within " + GONE_WITHIN.toSeconds() + " s: "
                    + all.stream().filter(ProcessHandle::isAlive).map(h -> h.pid() + " " + h.info().command().orElse("?")).toList());
        }
    }

    /** Returns whether {@code h}'s command line names {@code dir} (chromium's processes name its profile there). */
    static boolean mentions(ProcessHandle h, Path dir) {
        String d = dir.toString();
        return h.info().arguments().map(args -> java.util.Arrays.stream(args).anyMatch(a -> a.contains(d))).orElse(false);
    }
}
