// SPDX-License-Identifier: Apache-2.0
// ServingClient: one manifest-driven client process started with -serve, running one run's flags at a time.
package dev.udsinterop.harness.peer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.udsinterop.harness.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client started once with {@code -serve} that runs many cases: each request is one line on its stdin, the JSON
 * array of the flags a process of its own would have been started with, and each answer one line on its stdout,
 * the exit status, stdout and stderr that process would have given ({@link ClientRun}). Starting Python or Node.js
 * costs more than most cases take (0.1 to 0.3 s a case on this 2-core machine). The process ends when its stdin
 * does, so one that outlives the JVM does not outlive it by more than the case under way.
 */
final class ServingClient implements AutoCloseable {
    /** The most of the process's own stderr (a crash's words) kept for the failure that says it ended. */
    private static final int STDERR_KEPT = 4096;

    private final Process process;
    private final OutputStream requests;
    private final BlockingQueue<Optional<String>> answers = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private ServingClient(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
        // platform threads for the pipes: a pipe read pins a virtual thread's carrier (see ServerProcess)
        Thread.ofPlatform().daemon().name("serving-client-out-" + process.pid()).start(this::readAnswers);
        Thread.ofPlatform().daemon().name("serving-client-err-" + process.pid()).start(this::readStderr);
    }

    /** Starts {@code program} (its executable and the words before its flags) with {@code -serve}. */
    static ServingClient start(List<String> program) throws IOException {
        List<String> command = new ArrayList<>(program);
        command.add("-serve");
        return new ServingClient(new ProcessBuilder(command).start());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Answer(Integer exit, String stdout, String stderr) {
    }

    /**
     * Runs the flags {@code flags} and returns what they gave, or null when no answer came within {@code limit} (the
     * caller then closes this client, which kills the process).
     *
     * @throws IOException if the process ended, or answered with something that is not an answer
     */
    ClientRun run(List<String> flags, Duration limit) throws IOException, InterruptedException {
        try {
            requests.write((Json.LENIENT.writeValueAsString(flags) + "\n").getBytes(StandardCharsets.UTF_8));
            requests.flush();
        } catch (IOException e) {
            throw ended("a request could not be written (" + e.getMessage() + ")");
        }
        Optional<String> line = answers.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            return null;
        }
        if (line.isEmpty()) {
            throw ended("its stdout ended");
        }
        Answer a;
        try {
            a = Json.LENIENT.readValue(line.get(), Answer.class);
        } catch (IOException e) {
            throw new IOException("not an answer of -serve: " + abbreviate(line.get()));
        }
        if (a.exit() == null || a.stdout() == null || a.stderr() == null) {
            throw new IOException("not an answer of -serve: " + abbreviate(line.get()));
        }
        return new ClientRun(a.exit(), a.stdout().getBytes(StandardCharsets.UTF_8), a.stderr().strip());
    }

    private IOException ended(String what) throws InterruptedException {
        String exit = process.waitFor(1, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running";
        String said;
        synchronized (stderr) {
            said = stderr.toString().strip();
        }
        return new IOException("the -serve process ended: " + what + ", " + exit + (said.isEmpty() ? "" : "; stderr: " + said));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                answers.add(Optional.of(line));
            }
        } catch (IOException e) {
            // closed: the end below says so
        }
        answers.add(Optional.empty());
    }

    private void readStderr() {
        byte[] buffer = new byte[4096];
        try (var in = process.getErrorStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (stderr) {
                    stderr.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (stderr.length() > STDERR_KEPT) {
                        stderr.delete(0, stderr.length() - STDERR_KEPT);
                    }
                }
            }
        } catch (IOException e) {
            // closed with the process
        }
    }

    /** Returns true while the process runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** Kills the process: it may be in the middle of a case that is late. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
