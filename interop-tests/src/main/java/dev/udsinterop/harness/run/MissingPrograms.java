// SPDX-License-Identifier: Apache-2.0
// MissingPrograms: the selected clients and servers whose program is not installed here, named before a run or check starts, with how to leave them out.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.ServerSpec;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A machine with only Java (the release bundle) may lack nc, socat, python3 or node: the clients nc, socat,
 * python-interop and node-interop, and the Python and Node.js servers, whose cases would be skipped one by one. This
 * says it once, up front: which programs, how to install them, and the {@code --clients} or {@code --server} that
 * leaves them out. Where skips may not pass ({@code CI=true}, {@code --require-all}), a selected client or server that
 * is missing is an error before any case runs: the user either installs it or deselects it.
 */
final class MissingPrograms {
    private MissingPrograms() {
    }

    /**
     * Says which of {@code matrix}'s clients are missing on {@code console}.
     *
     * @throws UsageException if one is and {@code policy} allows no skips
     */
    static void clients(String command, Matrix matrix, SkipPolicy policy, PrintStream console) {
        Map<String, String> missing = new LinkedHashMap<>();
        Set<String> present = new LinkedHashSet<>();
        for (MatrixEntry e : matrix.entries()) {
            Peer client = e.client();
            if (client.missing() != null) {
                missing.putIfAbsent(client.id(), client.missing());
            } else {
                present.add(client.id());
            }
        }
        name(command, "client", "--clients", missing, present, policy, console);
    }

    /**
     * Says which of {@code matrix}'s servers are missing on {@code console}: those started on this machine (a
     * server in a container runs from its image).
     *
     * @throws UsageException if one is and {@code policy} allows no skips
     */
    static void servers(String command, Matrix matrix, SkipPolicy policy, PrintStream console) {
        Map<String, String> missing = new LinkedHashMap<>();
        Set<String> present = new LinkedHashSet<>();
        for (MatrixEntry e : matrix.entries()) {
            ServerSpec server = e.server();
            if (server.missing() != null && Runner.serverRunsHere(RuntimeKind.of(e.runtime()))) {
                missing.putIfAbsent(server.id(), server.missing());
            } else if (server.missing() == null) {
                present.add(server.id());
            }
        }
        name(command, "server", "--server", missing, present, policy, console);
    }

    private static void name(String command, String kind, String option, Map<String, String> missing, Set<String> present,
                             SkipPolicy policy, PrintStream console) {
        if (missing.isEmpty()) {
            return;
        }
        String them = missing.size() == 1 ? "it" : "them";
        String what = kind + (missing.size() == 1 ? "" : "s") + " not installed here: " + String.join(", ", missing.values());
        String remedy = present.isEmpty() ? "install " + them
                : "install " + them + ", or leave " + them + " out with " + option + " " + String.join(",", present);
        if (!policy.allowsSkips()) {
            throw new UsageException(command + ": " + what + "; under " + policy.requiredBy()
                    + " every selected " + kind + " must run: " + remedy);
        }
        console.println("uds-interop " + command + ": " + what + "; their cases are skipped (" + remedy + ")");
    }
}
