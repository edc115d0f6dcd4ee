// SPDX-License-Identifier: Apache-2.0
// ManifestClientPeer: a conformance client that reads the manifest itself and judges its own echo (Go, Python, Node.js, Rust).
package dev.udsinterop.harness.peer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.host.Remedy;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A manifest-driven conformance client: {@code go-reference/cmd/interop-client} and its siblings in
 * {@code polyglot/} ({@link ManifestClients}), one run per case, all with the Go client's command line and JSON
 * report. Each is an independent implementation of everything the case involves, payload generation included,
 * so its verdict is taken as it gives it; this class only translates its JSON.
 */
public final class ManifestClientPeer implements Peer {
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final String id;
    private final List<String> program;
    private final Path manifest;
    private final Supplier<DeclaredFeatures> features;
    private final String missingPackage;

    /**
     * A client {@code id} started as {@code program} (its executable, then any words before the flags, e.g. an
     * interpreter's script) with the flags of the manifest at {@code manifest}. {@code features}: what it declares it
     * can do beyond stream sockets on paths and TCP, null to ask it ({@code -capabilities}, once, when a case first
     * needs to know). {@code missingPackage}: the apt package to install because its executable is not installed here
     * (null: it is).
     */
    public ManifestClientPeer(String id, List<String> program, Path manifest, DeclaredFeatures features, String missingPackage) {
        this.id = id;
        this.program = List.copyOf(program);
        this.manifest = manifest;
        this.features = features != null ? () -> features : memoized(() -> DeclaredFeatures.ask(this.program));
        this.missingPackage = missingPackage;
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String unsupported(InteropCase c) {
        return missingPackage == null ? null
                : program.getFirst() + " is not installed: " + Remedy.install(missingPackage);
    }

    @Override
    public String missing() {
        return missingPackage == null ? null : program.getFirst() + " (apt-get install " + missingPackage + ")";
    }

    /**
     * Returns what the client declares it lacks of what case {@code c} on {@code transport} needs (a seqpacket or
     * datagram socket, an abstract name, descriptor passing), with its reason and what decided it, or null.
     */
    @Override
    public String lacks(InteropCase c, Transport transport) {
        List<String> needs = DeclaredFeatures.needs(c, transport);
        if (needs.isEmpty() || missingPackage != null) {
            return null; // a stream case; or a client that is not installed, whose every case is unsupported anyway
        }
        String missing = features().missing(needs);
        return missing == null ? null : id + " " + missing;
    }

    /** Returns what the client declares it can do beyond stream sockets (asking it the first time). */
    public DeclaredFeatures features() {
        return features.get();
    }

    /** Returns the words that start the client, before its flags. */
    public List<String> program() {
        return program;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Output(List<Result> results) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(String id, String status, long bytesSent, long bytesReceived, String expectedSha256,
                  String actualSha256, List<Timings> timings, ClientFailure failure) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Timings(Long connectNs, Long firstByteNs, Long lastByteNs) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClientFailure(String kind, String message, Integer connection, Long firstDifferingOffset, String expectedHex,
                     String actualHex) {
    }


    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("-" + endpoint.kindWord(), // -unix, -tcp, -seqpacket or -datagram, for a path or an @name alike
                endpoint.address(),
                "-manifest", manifest.toString(),
                "-case", c.id(),
                "-timeout-scale", String.valueOf((double) timeout.toMillis() / c.timeoutMs()),
                "-eof-timeout", EofWait.WAIT.toMillis() + "ms")); // scaled by the client, like the deadline
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "start", id(), endpoint, e.getMessage()));
        }
        // platform threads for the pipes: a pipe read pins a virtual thread's carrier (see ServerProcess)
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            Future<byte[]> stdout = executor.submit(() -> process.getInputStream().readAllBytes());
            Future<byte[]> stderr = executor.submit(() -> process.getErrorStream().readAllBytes());
            // The client keeps the case's deadline itself; this one only catches a client that does not.
            if (!process.waitFor(timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Exchange.failed(Failure.of(FailureKind.TIMEOUT, "run", id(), endpoint, "client still running "
                        + MARGIN.toSeconds() + " s after the case's deadline (killed)"));
            }
            byte[] out = stdout.get(10, TimeUnit.SECONDS);
            String err = new String(stderr.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            if (process.exitValue() > 1) {
                return Exchange.failed(Failure.of(FailureKind.EXIT_STATUS, "run", id(), endpoint, "exit status " + process.exitValue())
                        .withDetail(err.isEmpty() ? null : "stderr: " + err));
            }
            return translate(Json.LENIENT.readValue(out, Output.class), c, endpoint);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "run", id(), endpoint, "unreadable output: " + e.getMessage()));
        } finally {
            process.destroyForcibly();
        }
    }

    private Exchange translate(Output output, InteropCase c, Endpoint endpoint) {
        Result r = output.results() == null ? null
                : output.results().stream().filter(x -> c.id().equals(x.id())).findFirst().orElse(null);
        if (r == null) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "run", id(), endpoint, "no result for case " + c.id() + " in its output"));
        }
        List<Exchange.Sample> samples = new ArrayList<>();
        for (Timings t : r.timings() == null ? List.<Timings>of() : r.timings()) {
            add(samples, "connect", t.connectNs());
            add(samples, "first-byte", t.firstByteNs());
            if (r.failure() == null) {
                add(samples, "last-byte", t.lastByteNs());
            }
        }
        Failure failure = null;
        if (!"passed".equals(r.status())) {
            ClientFailure f = r.failure() == null ? new ClientFailure(null, r.status(), null, null, null, null) : r.failure();
            // The client names its kinds with the harness's words; one it does not know stays visible as an error.
            FailureKind kind = f.kind() == null ? FailureKind.ERROR : FailureKind.find(f.kind()).orElse(FailureKind.ERROR);
            failure = new Failure(kind, "read " + id() + " " + endpoint + ": " + f.message(), f.firstDifferingOffset(),
                    r.expectedSha256(), r.actualSha256(),
                    emptyToNull(f.expectedHex()), emptyToNull(f.actualHex()), null);
        }
        return new Exchange(r.bytesSent(), r.bytesReceived(), failure, samples);
    }

    private static void add(List<Exchange.Sample> samples, String workload, Long nanos) {
        if (nanos != null && nanos >= 0) {
            samples.add(new Exchange.Sample(workload, nanos));
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
