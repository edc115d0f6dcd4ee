// SPDX-License-Identifier: Apache-2.0
// SoakClient: runs go-reference/cmd/soak-client and reads its JSON result.
package dev.udsinterop.harness.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A running soak-client process: many checked echo clients against one server. */
final class SoakClient implements AutoCloseable {
    private final Process process;
    private final Thread stderrReader;
    private final List<String> stderr = new ArrayList<>();
    private byte[] stdout;

    private SoakClient(Process process, ReliabilityContext context) {
        this.process = process;
        // platform threads for the pipes: a pipe read pins a virtual thread's carrier (see ServerProcess)
        this.stderrReader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.add(line);
                    }
                    context.progress().accept("  " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** Starts soak-client against the socket {@code socket}, sampling the server {@code serverPid}, with {@code args}. */
    static SoakClient start(ReliabilityContext context, Path socket, long serverPid, String... args) {
        List<String> command = new ArrayList<>(List.of(context.soakClient().toString(), "-unix", socket.toString(),
                "-pid", Long.toString(serverPid), "-json"));
        command.addAll(List.of(args));
        try {
            return new SoakClient(new ProcessBuilder(command).start(), context);
        } catch (IOException e) {
            throw new UncheckedIOException("start soak-client: " + e.getMessage(), e);
        }
    }

    /** Waits at most {@code timeout} for the result; fails when there is none. */
    JsonNode result(Duration timeout) throws InterruptedException {
        try {
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    stdout = process.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    stdout = new byte[0];
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("soak-client did not finish within " + timeout);
            }
            reader.join(Duration.ofSeconds(10));
            stderrReader.join(Duration.ofSeconds(10));
            if (stdout == null || stdout.length == 0) {
                throw new IllegalStateException("soak-client exited " + process.exitValue() + " without a result: " + stderr());
            }
            return Json.LENIENT.readTree(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("soak-client result: " + e.getMessage(), e);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return String.join("; ", stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
