// SPDX-License-Identifier: Apache-2.0
// Breadth: how much of the server x client product a run takes outside local: all of it (--full) or a rotation (default).
package dev.udsinterop.harness.matrix;

import dev.udsinterop.harness.runtime.RuntimeKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole product of seven servers and seven clients in four runtimes is past the run's time budget, and most of
 * it asks the same question again: a runtime other than local changes where a server and a client run, not what they
 * say to each other, which local already asks of every pair. So {@link #DEFAULT} keeps every entry of local and, in
 * each other runtime, the server / client pairs of a rotation: the k-th server with the (k + r)-th client, for k up to
 * the larger count, where r is the runtime's place in {@link RuntimeKind}. Every server and every client then runs
 * in every runtime, and the runtimes together meet different pairs. The pairs are computed from the entries the
 * matrix holds (after --server, --client, ... chose them), so one server checked alone still meets every client.
 * The scenario cases (lifecycle, robustness) go with the pair of a server and the harness's own client ({@code
 * java}), like any other case: in a container runtime they run for the server the rotation gives that client (they
 * were a fifth of a default run's time when they ran for every server). {@link #FULL} keeps everything.
 */
public enum Breadth {
    DEFAULT("default", "every server x client x transport in local; in each other runtime every server and every "
            + "client at least once (a rotation of server / client pairs, another one per runtime)"),
    FULL("full", "the whole product: every server x client x transport in every runtime");

    private final String id;
    private final String rule;

    Breadth(String id, String rule) {
        this.id = id;
        this.rule = rule;
    }

    /** Returns the name in the report: {@code default} or {@code full}. */
    public String id() {
        return id;
    }

    /** Returns what it keeps, one line. */
    public String rule() {
        return rule;
    }

    /** Returns the entries of {@code matrix} this breadth keeps, in their order. */
    public Matrix apply(Matrix matrix) {
        if (this == FULL) {
            return matrix;
        }
        Map<String, Set<String>> pairs = pairs(matrix);
        return Matrix.of(matrix.entries().stream()
                .filter(e -> isLocal(e) || pairs.get(e.runtime()).contains(pair(e)))
                .toList());
    }

    /** Returns the rotation's pairs ({@code server / client}) of each runtime but local. */
    static Map<String, Set<String>> pairs(Matrix matrix) {
        Map<String, Set<String>> servers = new LinkedHashMap<>();
        Map<String, Set<String>> clients = new LinkedHashMap<>();
        for (MatrixEntry e : matrix.entries()) {
            if (!isLocal(e)) {
                servers.computeIfAbsent(e.runtime(), r -> new LinkedHashSet<>()).add(e.server().id());
                clients.computeIfAbsent(e.runtime(), r -> new LinkedHashSet<>()).add(e.client().id());
            }
        }
        Map<String, Set<String>> pairs = new LinkedHashMap<>();
        for (String runtime : servers.keySet()) {
            List<String> s = new ArrayList<>(servers.get(runtime));
            List<String> c = new ArrayList<>(clients.get(runtime));
            int shift = offset(runtime);
            Set<String> kept = new HashSet<>();
            for (int k = 0; k < Math.max(s.size(), c.size()); k++) {
                kept.add(s.get(k % s.size()) + " / " + c.get((k + shift) % c.size()));
            }
            pairs.put(runtime, kept);
        }
        return pairs;
    }

    private static int offset(String runtime) {
        RuntimeKind kind = RuntimeKind.of(runtime);
        return kind == null ? 0 : kind.ordinal();
    }

    private static boolean isLocal(MatrixEntry e) {
        return e.runtime().equals(RuntimeKind.LOCAL.id());
    }

    private static String pair(MatrixEntry e) {
        return e.server().id() + " / " + e.client().id();
    }

    @Override
    public String toString() {
        return id;
    }
}
