// SPDX-License-Identifier: Apache-2.0
// MissingClients: the selected clients whose program is not installed here, named before a check starts, with how to leave them out.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Peer;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A machine with only Java (the release bundle) may lack nc or socat. Their cases would be skipped one by one; this
 * says it once, up front: which clients, how to install them, and the {@code --clients} that leaves them out. Where
 * skips may not pass ({@code CI=true}, {@code --require-all}), a selected client that is missing is an error before
 * any case runs: the user either installs it or deselects it.
 */
final class MissingClients {
    private MissingClients() {
    }

    /**
     * Says which of {@code matrix}'s clients are missing on {@code console}.
     *
     * @throws UsageException if one is and {@code policy} allows no skips
     */
    static void check(String command, Matrix matrix, SkipPolicy policy, PrintStream console) {
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
        if (missing.isEmpty()) {
            return;
        }
        String what = "client" + (missing.size() == 1 ? "" : "s") + " not installed here: " + String.join(", ", missing.values());
        String remedy = present.isEmpty() ? "install " + (missing.size() == 1 ? "it" : "them")
                : "install " + (missing.size() == 1 ? "it" : "them") + ", or leave " + (missing.size() == 1 ? "it" : "them")
                + " out with --clients " + String.join(",", present);
        if (!policy.allowsSkips()) {
            throw new UsageException(command + ": " + what + "; under " + policy.requiredBy()
                    + " every selected client must run: " + remedy);
        }
        console.println("uds-interop " + command + ": " + what + "; their cases are skipped (" + remedy + ")");
    }
}
