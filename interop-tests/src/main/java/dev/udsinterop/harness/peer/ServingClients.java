// SPDX-License-Identifier: Apache-2.0
// ServingClients: the idle -serve processes of each client program, shared by every peer of that program in this JVM.
package dev.udsinterop.harness.peer;

import java.io.IOException;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The idle {@link ServingClient}s of each program, so that the cases of a run, and of every peer of the same client
 * in this JVM (the test suite makes many), go to the same few processes: one per case running at the same time,
 * never one per case. A client is taken for one case and given back after it answered; one that did not answer in
 * time, or ended, is killed and never given back.
 */
final class ServingClients {
    private static final Map<List<String>, Deque<ServingClient>> IDLE = new ConcurrentHashMap<>();

    private ServingClients() {
    }

    /** Returns an idle client of {@code program} that still runs, or a new one. */
    static ServingClient take(List<String> program) throws IOException {
        Deque<ServingClient> idle = IDLE.computeIfAbsent(List.copyOf(program), p -> new ConcurrentLinkedDeque<>());
        for (ServingClient c; (c = idle.pollFirst()) != null; ) {
            if (c.alive()) {
                return c;
            }
            c.close();
        }
        return ServingClient.start(program);
    }

    /** Gives {@code client}, which answered its last request, back for the next case. */
    static void give(List<String> program, ServingClient client) {
        IDLE.computeIfAbsent(List.copyOf(program), p -> new ConcurrentLinkedDeque<>()).addFirst(client);
    }
}
