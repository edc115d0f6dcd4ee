// SPDX-License-Identifier: Apache-2.0
// Runner: runs one matrix entry at a time against a live server and turns what happened into a CaseResult.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.container.ContainerRuntimes;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import dev.udsinterop.harness.fixture.Level;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.report.Capabilities;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.scenario.Health;
import dev.udsinterop.harness.scenario.Scenario;
import dev.udsinterop.harness.scenario.Scenarios;
import dev.udsinterop.harness.server.LocalRuntime;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerPool;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.WrongPathException;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine under both {@code ./uds-interop run} and the JUnit suite. An echo case runs
 * through its client against the pooled server, then a probe checks that the server still
 * serves; a scenario case runs its scenario, then the same probe of every server the
 * scenario expects alive ({@link CaseScope#probeSurvivors()}). A case that does not pass gets its server
 * replaced before the next case, and is then matched against the expected failures.
 */
public final class Runner implements AutoCloseable {
    /** How long a stopped run's servers get to exit on SIGTERM before they are killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ExpectedFailures expectedFailures;
    private final TimingRecorder timings;
    private final double timeoutScale;
    private final boolean strict;
    private final LocalRuntime servers = new LocalRuntime();
    private final ServerPool<ServerProcess> pool = new ServerPool<>(servers, null);
    private final ContainerRuntimes containers;
    private final List<Runner> lanes = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** A strict runner for local entries only: a failed SHOULD case fails like a MUST case; container entries are skipped. */
    public Runner(ExpectedFailures expectedFailures, TimingRecorder timings, double timeoutScale) {
        this(expectedFailures, timings, timeoutScale, true);
    }

    /** A runner of local entries that reports a failed SHOULD case as a warning unless {@code strict}. */
    public Runner(ExpectedFailures expectedFailures, TimingRecorder timings, double timeoutScale, boolean strict) {
        this(expectedFailures, timings, timeoutScale, strict, null);
    }

    /** A runner that also runs the entries of the container runtimes, through {@code containers}. */
    public Runner(ExpectedFailures expectedFailures, TimingRecorder timings, double timeoutScale, boolean strict,
                  ContainerRuntimes containers) {
        this.expectedFailures = expectedFailures;
        this.timings = timings;
        this.timeoutScale = timeoutScale;
        this.strict = strict;
        this.containers = containers;
    }

    /**
     * Returns a runner for the local entries of this one's run, to run beside it while this one runs the entries that
     * need Docker ({@link MatrixRun}): the same expected failures, timings, scale and strictness, servers of its own,
     * and no container runtimes, so that it never releases the servers they keep. Stopping or closing this runner
     * stops or closes it too.
     */
    Runner localLane() {
        Runner lane = new Runner(expectedFailures, timings, timeoutScale, strict, null);
        lanes.add(lane);
        if (stopped) {
            lane.stop();
        }
        return lane;
    }

    /** Returns true if this runner runs the entries of the runtimes that need Docker. */
    boolean runsContainers() {
        return containers != null;
    }

    /** Runs {@code entry} and returns its result. Never throws for a misbehaving server or client. */
    public CaseResult run(MatrixEntry entry) throws InterruptedException {
        long start = System.nanoTime();
        InteropCase c = entry.testCase();
        RuntimeKind runtime = RuntimeKind.of(entry.runtime());
        String unsupported = entry.client().unsupported(c);
        if (unsupported == null && serverRunsHere(runtime) && entry.server().notInstalled() != null) {
            unsupported = "server " + entry.server().id() + ": " + entry.server().notInstalled();
        }
        String lacking = lacking(entry);
        Outcome outcome;
        if (lacking != null) {
            outcome = new Outcome(Status.UNSUPPORTED, failure(FailureKind.UNSUPPORTED, entry, lacking), null, null);
        } else if (unsupported != null) {
            outcome = new Outcome(Status.SKIPPED, failure(FailureKind.SKIPPED, entry, unsupported), null, null);
        } else if (runtime != null && runtime.needsDocker()) {
            outcome = inContainers(entry, runtime);
        } else {
            if (containers != null) {
                containers.releaseServers(); // see releaseServers: a host server of cross-client must not linger
            }
            outcome = c.kind() == Kind.ECHO ? echo(entry) : scenario(entry);
            if (outcome.status() != Status.PASSED) {
                pool.discard();
            }
        }
        ExpectedFailures.Rule rule = expectedFailures.rule(entry).orElse(null);
        outcome = judge(entry, outcome, rule);
        String expected = rule == null ? null : rule.reason();
        if (outcome.status() == Status.FAILED && expected == null && c.level() == Level.SHOULD && !strict) {
            outcome = new Outcome(Status.WARNING, outcome.failure(), outcome.bytesSent(), outcome.bytesReceived());
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        return new CaseResult(entry.server().id(), entry.client().id(), entry.transport().id(), entry.runtime(), c.id(),
                outcome.status(), millis, outcome.bytesSent(), outcome.bytesReceived(), outcome.failure(), expected);
    }

    private record Outcome(Status status, Failure failure, Long bytesSent, Long bytesReceived) {
        static Outcome of(Failure failure) {
            return new Outcome(failure == null ? Status.PASSED : Status.FAILED, failure, null, null);
        }
    }

    /**
     * Returns true if {@code runtime} starts the server as a process on this machine (local, cross-client; null: a
     * command's own entries, local too), where its program must be installed; in the other runtimes it is in its image.
     */
    static boolean serverRunsHere(RuntimeKind runtime) {
        return runtime == null || runtime == RuntimeKind.LOCAL || runtime == RuntimeKind.CROSS_CLIENT;
    }

    /**
     * Returns what the server or the client declares it cannot do that the entry's case needs, or null. The words
     * say whose declaration it is ({@link Capabilities#DECLARED_BY_SERVER}, {@link Capabilities#DECLARED_BY_CLIENT}).
     * The server's holds for every case of the feature (abstract.no-file is a scenario); the client's for the echo
     * cases it runs (a scenario's client is the harness's own).
     */
    private static String lacking(MatrixEntry entry) {
        InteropCase c = entry.testCase();
        if (entry.server().lacks(c.feature(), entry.transport())) {
            return Capabilities.DECLARED_BY_SERVER + " " + c.feature() + " unsupported on " + entry.transport().id();
        }
        if (c.kind() != Kind.ECHO) {
            return null;
        }
        String client = entry.client().lacks(c, entry.transport());
        RuntimeKind runtime = RuntimeKind.of(entry.runtime());
        if (client == null && c.socket().equals("datagram") && runtime != null && !runtime.sharesSocketPaths()) {
            String replyName = entry.client().lacks(c, Transport.ABSTRACT);
            client = replyName == null ? null : "its replies cross a mount namespace, which only an abstract reply name "
                    + "does (RuntimeKind#sharesSocketPaths): " + replyName;
        }
        return client == null ? null : Capabilities.DECLARED_BY_CLIENT + " " + (c.feature() == null ? entry.transport().id()
                : c.feature()) + " unsupported: " + client;
    }

    private Outcome echo(MatrixEntry entry) throws InterruptedException {
        RunningServer server;
        try {
            server = pool.acquire(entry.server(), entry.transport());
        } catch (ServerException e) {
            return Outcome.of(startFailure(entry, e));
        }
        Endpoint endpoint = endpointFor(server, entry);
        if (endpoint == null) {
            return new Outcome(Status.UNSUPPORTED, failure(FailureKind.UNSUPPORTED, entry, Capabilities.DECLARED_BY_SERVER
                    + " no " + entry.testCase().socket() + " socket on an abstract name: its ready lines announce none"),
                    null, null);
        }
        Exchange exchange = entry.client().exchange(endpoint, entry.testCase(), timeout(entry.testCase()));
        record(entry, exchange);
        Failure failure = exchange.failure();
        if (failure == null) {
            failure = Health.check(server, "after the case"); // a server that died or stopped serving fails the case
        } else {
            failure = failure.withDetail(server.evidence());
        }
        return new Outcome(failure == null ? Status.PASSED : Status.FAILED, failure,
                exchange.bytesSent(), exchange.bytesReceived());
    }

    /**
     * Returns where the entry's case connects: the endpoint the server is ready on, or on the abstract transport its
     * abstract name of the case's socket kind (null when it announced none).
     */
    private static Endpoint endpointFor(RunningServer server, MatrixEntry entry) {
        if (entry.transport() != Transport.ABSTRACT) {
            return server.endpoint();
        }
        String socket = entry.testCase().socket();
        return server.endpoints().stream().filter(e -> e.isAbstract() && e.socket().equals(socket)).findFirst().orElse(null);
    }

    private void record(MatrixEntry entry, Exchange exchange) {
        for (Exchange.Sample s : exchange.samples()) {
            String workload = Workloads.of(entry.testCase(), s);
            if (workload != null) {
                timings.record(workload, entry.server().id(), entry.client().id(), entry.transport().id(),
                        entry.runtime(), s.nanos());
            }
        }
    }

    /** An entry of a container runtime: skipped without Docker (a failure where Docker is required), else run there. */
    private Outcome inContainers(MatrixEntry entry, RuntimeKind runtime) throws InterruptedException {
        String unavailable = containers == null ? "this runner runs local entries only" : containers.unavailable();
        if (unavailable != null) {
            return containers != null && containers.required()
                    ? Outcome.of(failure(FailureKind.SKIPPED, entry, "Docker is required here (CI=true or --require-docker) "
                            + "but not available: " + unavailable))
                    : new Outcome(Status.SKIPPED, failure(FailureKind.SKIPPED, entry, "Docker is not available: "
                            + unavailable), null, null);
        }
        // The local runtime's last server is not needed any more; its two pipe readers (virtual threads blocked in
        // native reads) held both carriers of a 2-core machine and starved the virtual threads of the peers.
        pool.release();
        Exchange exchange = containers.run(runtime, entry, timeout(entry.testCase()));
        record(entry, exchange);
        boolean echo = entry.testCase().kind() == Kind.ECHO;
        return new Outcome(exchange.passed() ? Status.PASSED : Status.FAILED, exchange.failure(),
                echo ? exchange.bytesSent() : null, echo ? exchange.bytesReceived() : null);
    }

    private Outcome scenario(MatrixEntry entry) throws InterruptedException {
        InteropCase c = entry.testCase();
        Scenario scenario = Scenarios.named(c.scenario()).orElse(null);
        if (scenario == null) {
            return Outcome.of(Failure.of(FailureKind.ERROR, "run", entry.server().id(), entry.transport().id(),
                    "unknown scenario '" + c.scenario() + "' in the manifest"));
        }
        try (CaseScope scope = new CaseScope(c, entry.server(), entry.transport(), timeout(c), pool, servers)) {
            Failure failure = scenario.run(scope);
            return Outcome.of(failure != null ? failure : scope.probeSurvivors());
        } catch (ServerException e) {
            return Outcome.of(startFailure(entry, e));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return Outcome.of(Failure.of(FailureKind.ERROR, "run", entry.server().id(), entry.transport().id(),
                    "scenario " + c.scenario() + ": " + e));
        }
    }

    /** Returns the failure of a server that did not start, or that announced another socket path than its own. */
    private static Failure startFailure(MatrixEntry entry, ServerException e) {
        return e.failure(e instanceof WrongPathException ? FailureKind.WRONG_PATH : FailureKind.NO_START,
                entry.server().id(), entry.transport().id());
    }

    /**
     * Applies the expected failures: a matching failure of the rule's kind (any kind, if it names none) is
     * expected; a failure of another kind is a failure, showing both; a matching pass is a failure.
     */
    private Outcome judge(MatrixEntry entry, Outcome outcome, ExpectedFailures.Rule rule) {
        if (rule == null || outcome.status() == Status.SKIPPED || outcome.status() == Status.UNSUPPORTED) {
            return outcome;
        }
        if (outcome.status() == Status.FAILED) {
            Failure f = outcome.failure();
            if (rule.kind() != null && !rule.kind().equals(f.kind().id())) {
                f = f.as(f.kind(), f.message() + " [" + f.kind().id() + "; the known failure expects " + rule.kind()
                        + ": " + rule.reason() + "]");
                return new Outcome(Status.FAILED, f, outcome.bytesSent(), outcome.bytesReceived());
            }
            return new Outcome(Status.EXPECTED_FAILURE, f, outcome.bytesSent(), outcome.bytesReceived());
        }
        return new Outcome(Status.FAILED, failure(FailureKind.ERROR, entry, "expected to fail (" + rule.reason()
                + ") but passed: remove the entry from " + expectedFailures.source() + " if the server was fixed"),
                outcome.bytesSent(), outcome.bytesReceived());
    }

    /** Returns a failure of {@code entry} as a whole, {@code run CLIENT TRANSPORT: cause} (as {@link MatrixRun}'s). */
    static Failure failure(FailureKind kind, MatrixEntry entry, String cause) {
        return Failure.of(kind, "run", entry.client().id(), entry.transport().id(), cause);
    }

    private Duration timeout(InteropCase c) {
        return Duration.ofMillis(Math.round(c.timeoutMs() * timeoutScale));
    }

    /** Returns the run's local runtime, for a command's own starts before the cases (check's preflight). */
    LocalRuntime servers() {
        return servers;
    }

    /**
     * Stops the run where it is, from any thread (a signal's shutdown hook, the time limit): every server process
     * (TERM, then KILL after {@link #STOP_GRACE}) and every container of the run, and starts none from now on, so
     * the case under way ends with what it has and the cases after it cannot start a server.
     */
    public void stop() {
        stopped = true;
        lanes.forEach(Runner::stop);
        servers.stopAll(STOP_GRACE);
        if (containers != null) {
            containers.close();
        }
    }

    /** Returns true once {@link #stop()} was called: a result that comes after it says only that the run was stopped. */
    public boolean stopped() {
        return stopped;
    }

    /** Stops the pooled server, then everything {@link #stop()} stops, and removes every temporary directory. */
    @Override
    public void close() {
        lanes.forEach(Runner::close);
        pool.close();
        stop();
        servers.close();
    }
}
