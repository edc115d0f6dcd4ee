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
 * so its verdict is taken as it gives it; this class only translates its JSON. A client whose start costs more
 * than a case (an interpreter's) runs its cases in a {@link ServingClient}, one process answering each case's
 * flags as a process of its own would have; a compiled one is started per case.
 */
public final class ManifestClientPeer implements Peer {
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final String id;
    private final List<String> program;
    private final Path manifest;
    private final Supplier<DeclaredFeatures> features;
    private final String missingPackage;
    private final boolean serving;

    /**
     * A client {@code id} started as {@code program} (its executable, then any words before the flags, e.g. an
     * interpreter's script) with the flags of the manifest at {@code manifest}. {@code features}: what it declares it
     * can do beyond stream sockets on paths and TCP, null to ask it ({@code -capabilities}, once, when a case first
     * needs to know). {@code missingPackage}: the apt package to install because its executable is not installed here
     * (null: it is). Each case in a process of its own.
     */
    public ManifestClientPeer(String id, List<String> program, Path manifest, DeclaredFeatures features, String missingPackage) {
        this(id, program, manifest, features, missingPackage, false);
    }

    /** As above; {@code serving}: the client runs its cases in a {@link ServingClient} ({@code -serve}). */
    ManifestClientPeer(String id, List<String> program, Path manifest, DeclaredFeatures features, String missingPackage,
                       boolean serving) {
        this.id = id;
        this.program = List.copyOf(program);
        this.manifest = manifest;
        this.features = features != null ? () -> features : memoized(() -> DeclaredFeatures.ask(this.program));
        this.missingPackage = missingPackage;
        this.serving = serving;
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

    /** Returns true if the client runs its cases in one process ({@code -serve}), false if it is started per case. */
    public boolean serving() {
        return serving;
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


    /** The client was still running {@link #MARGIN} after the case's deadline, and was killed. */
    private static final class Late extends Exception {
    }

    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        List<String> flags = List.of("-" + endpoint.kindWord(), // -unix, -tcp, -seqpacket or -datagram, for a path or an @name alike
                endpoint.address(),
                "-manifest", manifest.toString(),
                "-case", c.id(),
                "-timeout-scale", String.valueOf((double) timeout.toMillis() / c.timeoutMs()),
                "-eof-timeout", EofWait.WAIT.toMillis() + "ms"); // scaled by the client, like the deadline
        // The client keeps the case's deadline itself; this one only catches a client that does not.
        Duration limit = timeout.plus(MARGIN);
        ClientRun run;
        try {
            run = serving ? served(flags, limit) : started(flags, limit);
        } catch (Late e) {
            return Exchange.failed(Failure.of(FailureKind.TIMEOUT, "run", id(), endpoint, "client still running "
                    + MARGIN.toSeconds() + " s after the case's deadline (killed)"));
        } catch (StartFailed e) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "start", id(), endpoint, e.getCause().getMessage()));
        } catch (IOException e) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "run", id(), endpoint, "unreadable output: " + e.getMessage()));
        }
        if (run.exit() > 1) {
            return Exchange.failed(Failure.of(FailureKind.EXIT_STATUS, "run", id(), endpoint, "exit status " + run.exit())
                    .withDetail(run.stderr().isEmpty() ? null : "stderr: " + run.stderr()));
        }
        try {
            return translate(Json.LENIENT.readValue(run.stdout(), Output.class), c, endpoint);
        } catch (IOException e) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "run", id(), endpoint, "unreadable output: " + e.getMessage()));
        }
    }

    /** The client's program could not be started. */
    private static final class StartFailed extends Exception {
        StartFailed(IOException cause) {
            super(cause);
        }
    }

    /** Runs {@code flags} in a process of their own. */
    private ClientRun started(List<String> flags, Duration limit) throws InterruptedException, IOException, Late, StartFailed {
        List<String> command = new ArrayList<>(program);
        command.addAll(flags);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new StartFailed(e);
        }
        // platform threads for the pipes: a pipe read pins a virtual thread's carrier (see ServerProcess)
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            Future<byte[]> stdout = executor.submit(() -> process.getInputStream().readAllBytes());
            Future<byte[]> stderr = executor.submit(() -> process.getErrorStream().readAllBytes());
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new Late();
            }
            byte[] out = stdout.get(10, TimeUnit.SECONDS);
            String err = new String(stderr.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            return new ClientRun(process.exitValue(), out, err);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs {@code flags} as a request of a {@link ServingClient}, which is given back for the next case if it answered. */
    private ClientRun served(List<String> flags, Duration limit) throws InterruptedException, IOException, Late, StartFailed {
        ServingClient client;
        try {
            client = ServingClients.take(program);
        } catch (IOException e) {
            throw new StartFailed(e);
        }
        ClientRun run;
        try {
            run = client.run(flags, limit);
        } catch (IOException | InterruptedException | RuntimeException e) {
            client.close();
            throw e;
        }
        if (run == null) {
            client.close();
            throw new Late();
        }
        ServingClients.give(program, client);
        return run;
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
