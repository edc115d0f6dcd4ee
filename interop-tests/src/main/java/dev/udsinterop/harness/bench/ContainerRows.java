// SPDX-License-Identifier: Apache-2.0
// ContainerRows: the servers of the container rows, started in their containers in the background, all at once, while the local servers start.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Skip;
import dev.udsinterop.harness.container.ContainerException;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Starting eight containers one after another, each waiting for its server's first echo, took about 10 s of a
 * one-minute quick run; they are independent, so they start together, on virtual threads, while the local
 * servers start. A server that cannot run in a container is skipped with the reason, as a local one is.
 */
final class ContainerRows implements AutoCloseable {
    /** Beyond every start's own readiness deadline (a minute): only a hung engine call gets here. */
    private static final long START_DEADLINE_SECONDS = 180;

    private final Supplier<BenchContainers> opener;
    private final List<Workload> workloads;
    private final PrintStream out;
    private final Map<String, Target> running = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<String>>> images = new ConcurrentHashMap<>();
    private final List<Skip> skipped = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private CompletableFuture<Void> starting = CompletableFuture.completedFuture(null);
    private BenchContainers containers;
    private List<String> order = List.of();

    ContainerRows(Supplier<BenchContainers> opener, List<Workload> workloads, PrintStream out) {
        this.opener = opener;
        this.workloads = workloads.stream().filter(Workload::inContainers).toList();
        this.out = out;
    }

    /** Opens the containers (images, the loadgen container) and starts every server on every transport, in the background. */
    void start(List<ServerSpec> servers, List<Transport> transports) {
        order = BenchRun.ids(servers);
        starting = CompletableFuture.runAsync(() -> {
            BenchContainers opened;
            try {
                opened = opener.get();
            } catch (RuntimeException e) {
                skipAll(order, transports, e.getMessage());
                return;
            }
            synchronized (this) {
                containers = opened;
            }
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (String id : order) {
                for (Transport transport : transports) {
                    ServerSpec spec = BenchRun.spec(servers, id, transport);
                    all.add(CompletableFuture.runAsync(() -> start(opened, id, spec, transport), threads));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }, threads);
    }

    /** Waits until every start has succeeded or been skipped. */
    void await() {
        try {
            starting.get(START_DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("start the servers in containers: " + (e instanceof TimeoutException
                    ? "not done within " + START_DEADLINE_SECONDS + " s" : e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("start the servers in containers: interrupted");
        }
    }

    private void start(BenchContainers opened, String id, ServerSpec spec, Transport transport) {
        try {
            if (spec == null) {
                throw new ServerException("its command has no placeholder for " + transport);
            }
            if (spec.image() == null) {
                throw new ServerException(id + " is a command on this machine, not an image: not run in a container");
            }
            Target started = opened.start(spec, transport);
            images.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(transport.id(), opened.command(spec, transport));
            running.put(key(id, transport), started);
        } catch (ServerException | ContainerException e) {
            skip(id, transport, e.getMessage());
            out.println("  SKIPPED " + BenchRun.where(BenchReport.CONTAINER) + id + " / " + transport + ": "
                    + e.getMessage());
        }
    }

    /** Records every container row as not measured, with {@code reason}, and says so once. */
    void skipAll(List<String> ids, List<Transport> transports, String reason) {
        order = ids;
        out.println("  SKIPPED the container rows: " + reason);
        ids.forEach(id -> transports.forEach(t -> skip(id, t, reason)));
    }

    private void skip(String server, Transport transport, String reason) {
        workloads.forEach(w -> skipped.add(new Skip(BenchReport.CONTAINER, server, transport.id(), w.id(), reason)));
    }

    /** Returns the server in its container, or null if it was skipped. */
    Target get(String server, Transport transport) {
        return running.get(key(server, transport));
    }

    int size() {
        return running.size();
    }

    /** Returns the image and arguments per transport of {@code server}, in transport order, or null if none started. */
    Map<String, List<String>> images(String server, List<Transport> transports) {
        Map<String, List<String>> started = images.get(server);
        if (started == null) {
            return null;
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        transports.stream().filter(t -> started.containsKey(t.id())).forEach(t -> ordered.put(t.id(), started.get(t.id())));
        return ordered;
    }

    /** The rows not measured, in the servers' order (they start in parallel), then unix before tcp. */
    List<Skip> skipped() {
        synchronized (skipped) {
            return skipped.stream().sorted(Comparator.comparingInt((Skip s) -> order.indexOf(s.server()))
                    .thenComparing(s -> Transport.of(s.transport()))).toList();
        }
    }

    private static String key(String server, Transport transport) {
        return server + "/" + transport;
    }

    /** Removes every container, the network and the volume; safe to call twice and from a shutdown hook. */
    @Override
    public synchronized void close() {
        running.clear();
        if (containers != null) {
            containers.close();
            containers = null;
        }
        threads.shutdownNow();
    }
}
