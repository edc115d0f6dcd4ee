// SPDX-License-Identifier: Apache-2.0
// CleanStop: which exit statuses after SIGTERM/SIGINT count as a clean stop.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.server.RunningServer;
import java.util.Map;

/**
 * A server that handles the signal exits 0. A server that prints no ready line (socat, a
 * script) is taken to rely on the signal's default action, which ends it with 128 + the
 * signal's number (143 for SIGTERM, 130 for SIGINT); that counts as clean too, so long as
 * the scenario's other conditions (in time, socket file gone, echo drained) hold.
 */
final class CleanStop {
    private static final Map<String, Integer> NUMBERS = Map.of("INT", 2, "TERM", 15);

    private CleanStop() {
    }

    /** Returns true if {@code status} is a clean exit of {@code server} after SIG{@code signal}. */
    static boolean isClean(RunningServer server, String signal, int status) {
        Integer number = NUMBERS.get(signal);
        return status == 0 || (!server.printedReadyLine() && number != null && status == 128 + number);
    }

    /** Returns what a clean exit of {@code server} after SIG{@code signal} is, for failure messages. */
    static String want(RunningServer server, String signal) {
        Integer number = NUMBERS.get(signal);
        return server.printedReadyLine() || number == null ? "want 0"
                : "want 0 (or " + (128 + number) + ", SIG" + signal + "'s default action)";
    }
}
