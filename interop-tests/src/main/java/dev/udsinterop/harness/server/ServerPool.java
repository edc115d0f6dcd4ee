// SPDX-License-Identifier: Apache-2.0
// ServerPool: keeps one server under test running for the cases that share it, in any runtime, and replaces it when a case breaks it.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running server for the current server and transport of a runtime. The matrix is ordered so that cases sharing
 * a server are adjacent; asking for another server removes the current one. After a case that did not pass, the
 * runner discards the server, so that no case starts against a server an earlier case may have damaged.
 *
 * <p>A pool given an executor for spares (the container runtimes, where a start costs a container) starts a spare of
 * the discarded server in the background at once, while the next cases' results are judged: for the seed server,
 * replaced after every other case, a replacement then costs little more than its ready line.
 *
 * @param <S> the kind of running server of the runtime
 */
public final class ServerPool<S extends RunningServer> implements AutoCloseable {
    /** How long a spare may still take to be ready once the next case asks for it. */
    private static final Duration SPARE_WAIT = Duration.ofSeconds(30);

    private final ServerRuntime<S> runtime;
    private final ExecutorService spares;
    private S current;
    private ServerSpec spec;
    private Transport transport;
    private Future<S> spare;
    private ServerSpec spareSpec;
    private Transport spareTransport;

    /** A pool over {@code runtime}; with spares started on {@code spares}, or none if it is null. */
    public ServerPool(ServerRuntime<S> runtime, ExecutorService spares) {
        this.runtime = runtime;
        this.spares = spares;
    }

    /**
     * Returns the running server for {@code spec} on {@code transport}, ready; started (or taken from the spare) if
     * need be.
     *
     * @throws ServerException if it does not start
     */
    public S acquire(ServerSpec spec, Transport transport) throws InterruptedException {
        S running;
        Future<S> ready;
        Future<S> unwanted;
        synchronized (this) {
            running = current;
            if (running != null && spec.equals(this.spec) && transport == this.transport && running.isAlive()) {
                return running;
            }
            current = null;
            boolean fits = spare != null && spec.equals(spareSpec) && transport == spareTransport;
            ready = fits ? spare : null;
            unwanted = fits ? null : spare;
            spare = null;
        }
        if (running != null) {
            runtime.remove(running);
        }
        if (unwanted != null) {
            removeWhenStarted(unwanted);
        }
        S started = ready == null ? null : take(ready);
        if (started == null) {
            started = runtime.start(spec, transport, List.of());
        }
        synchronized (this) {
            current = started;
            this.spec = spec;
            this.transport = transport;
        }
        return started;
    }

    /**
     * Removes the current server, if any, after a case that did not pass; a pool with spares starts one of the same
     * server. Safe to call from another thread (a run's time ceiling).
     */
    public void discard() {
        S old;
        synchronized (this) {
            old = current;
            current = null;
        }
        if (old == null) {
            return;
        }
        runtime.remove(old);
        synchronized (this) {
            if (spares != null && spare == null) {
                ServerSpec s = spec;
                Transport t = transport;
                spareSpec = s;
                spareTransport = t;
                spare = spares.submit(() -> runtime.start(s, t, List.of()));
            }
        }
    }

    /** Removes the current server and the spare: the pool's server is not needed for a while. */
    public void release() {
        S old;
        Future<S> unwanted;
        synchronized (this) {
            old = current;
            current = null;
            spec = null;
            transport = null;
            unwanted = spare;
            spare = null;
        }
        if (old != null) {
            runtime.remove(old);
        }
        if (unwanted != null) {
            removeWhenStarted(unwanted);
        }
    }

    /** Returns the spare once it is ready, or null if it did not start in time (the caller starts one, which says why). */
    private S take(Future<S> f) throws InterruptedException {
        try {
            return f.get(SPARE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return null;
        } catch (TimeoutException e) {
            removeWhenStarted(f);
            return null;
        }
    }

    /** Removes the spare of {@code f} in the background once its start ends, so that a late one is not left running. */
    private void removeWhenStarted(Future<S> f) {
        spares.submit(() -> {
            runtime.remove(f.get());
            return null;
        });
    }

    @Override
    public void close() {
        release();
    }
}
