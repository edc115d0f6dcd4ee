// SPDX-License-Identifier: Apache-2.0
// Loadgen: runs go-reference's loadgen for one workload against one endpoint and reads its JSON result.
package dev.udsinterop.harness.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The benchmark's one client: the same Go program, with the same bounds, for every server. A measurement is
 * one loadgen process (here, or a {@code docker exec} in the loadgen container: {@link BenchContainers}); its
 * last line of stdout is the result. For {@link Workload#IDLE} the harness gets a call once every connection
 * is established, while loadgen holds them, and then releases them by closing loadgen's standard input.
 */
final class Loadgen {
    /** How long a loadgen process may take beyond its own time bound before it is killed. */
    static final long GRACE_SECONDS = 60;
    /** Kills a loadgen that overruns: its stdout is read to the end on the caller's thread, which only its end ends. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("uds-interop-loadgen-watchdog").factory());

    private final Path binary;
    private final boolean quick;
    private final Duration limit;

    Loadgen(Path binary, boolean quick) {
        this(binary, quick, Duration.ofSeconds(GRACE_SECONDS));
    }

    /** A loadgen whose processes are killed once they ran for {@code limit} (its own bounds are 1.5 s at most). */
    Loadgen(Path binary, boolean quick, Duration limit) {
        this.binary = binary;
        this.quick = quick;
        this.limit = limit;
    }

    boolean quick() {
        return quick;
    }

    /** Where loadgen runs: as a process here ({@link #run}), or in the loadgen container ({@link BenchContainers}). */
    @FunctionalInterface
    interface Runner {
        /**
         * Runs {@code workload} against {@code endpoint}; for idle, {@code whileHeld} runs while the connections
         * are held.
         *
         * @throws BenchException when loadgen fails (an echo was wrong, the server went away) or hangs
         */
        Result run(Workload workload, Endpoint endpoint, Runnable whileHeld);
    }

    /** What loadgen printed last (the fields the harness uses). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(String workload, String transport, int connections, long ops, long bytes, long elapsedNs,
            String stoppedBy, double opsPerSec, double mbPerSec, long clientCpuNs, double clientCpuPerOpNs,
            long[] latenciesNs) {
    }

    /** Runs loadgen here: see {@link Runner#run}. */
    Result run(Workload workload, Endpoint endpoint, Runnable whileHeld) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(arguments(workload, quick, BenchReport.LOCAL, endpoint));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new BenchException("run loadgen " + binary + ": " + e.getMessage());
        }
        // Set before the kill: the end of the process can be seen here while the watchdog's task still runs, when
        // cancelling it still succeeds, so only this says that the end was the kill.
        AtomicBoolean killed = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            killed.set(true);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            if (workload != Workload.IDLE) {
                process.getOutputStream().close();
            }
            String last = null;
            for (String line; (line = out.readLine()) != null; last = line) {
                if (line.startsWith("{\"event\":\"established\"")) {
                    whileHeld.run();
                    process.getOutputStream().close();
                }
            }
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            watchdog.cancel(false);
            if (!ended || killed.get()) {
                throw new BenchException("loadgen " + workload.id() + " " + endpoint + ": did not finish within "
                        + limit.toSeconds() + " s (killed)");
            }
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return result(workload, endpoint, process.exitValue(), last, stderr);
        } catch (IOException e) {
            throw new BenchException("loadgen " + workload.id() + " " + endpoint + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("loadgen " + workload.id() + " " + endpoint + ": interrupted");
        } finally {
            watchdog.cancel(false);
            process.destroyForcibly();
        }
    }

    /** Returns loadgen's arguments for {@code workload} in {@code runtime} against {@code endpoint}, as loadgen sees it. */
    static List<String> arguments(Workload workload, boolean quick, String runtime, Endpoint endpoint) {
        List<String> args = new ArrayList<>(workload.loadgenArguments(quick, runtime));
        args.addAll(switch (endpoint.transport()) {
            case TCP -> List.of("-tcp", endpoint.hostPort());
            case SEQPACKET -> List.of("-seqpacket", endpoint.address());
            case DATAGRAM -> List.of("-datagram", endpoint.address());
            default -> List.of("-unix", endpoint.address());
        });
        return args;
    }

    /**
     * Returns the result a finished loadgen printed on its last line of stdout ({@code last}).
     *
     * @throws BenchException with loadgen's last line of stderr when it failed
     */
    static Result result(Workload workload, Endpoint endpoint, int status, String last, String stderr) {
        String err = stderr.strip();
        if (status != 0 || last == null || last.isBlank()) {
            throw new BenchException(err.isEmpty()
                    ? "loadgen " + workload.id() + " " + endpoint + ": exit status " + status
                    : err.lines().reduce((a, b) -> b).orElse(err));
        }
        try {
            return Json.LENIENT.readValue(last, Result.class);
        } catch (IOException e) {
            throw new BenchException("loadgen " + workload.id() + " " + endpoint + ": " + e.getMessage());
        }
    }
}
