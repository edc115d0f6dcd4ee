// SPDX-License-Identifier: Apache-2.0
// Scenarios: the scenario names the manifest may use, and their code.
package dev.udsinterop.harness.scenario;

import java.util.Map;
import java.util.Optional;

/** Looks scenarios up by the name a manifest case gives in {@code scenario}. */
public final class Scenarios {
    private static final Map<String, Scenario> BY_NAME = Map.of(
            "signal-exit", new SignalExit(),
            "signal-drain", new SignalDrain(),
            "stale-restart", new StaleRestart(),
            "path-refused", new PathRefused(),
            "live-conflict", new LiveConflict(),
            "fd-baseline", new FdBaseline(),
            "disconnect-mid-stream", new DisconnectMidStream(),
            "reset", new Reset(),
            "paused-client", new PausedClient());

    private Scenarios() {
    }

    public static Optional<Scenario> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
