// SPDX-License-Identifier: Apache-2.0
// Scenarios: the scenarios the manifest may name, each with its name.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.runtime.RuntimeKind;
import java.util.List;
import java.util.Optional;

/** Looks scenarios up by the name a manifest case gives in {@code scenario}. */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(new SignalExit(), new SignalDrain(), new StaleRestart(),
            new PathRefused(), new LiveConflict(), new FdBaseline(), new DisconnectMidStream(), new Reset(),
            new PausedClient(), new OtherUid(), new AbstractNoFile());

    private Scenarios() {
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Returns true if the scenario {@code name} runs in {@code runtime}; a name no scenario has is the local
     * runtime's, which reports it as unknown.
     */
    public static boolean runIn(RuntimeKind runtime, String name) {
        return named(name).map(s -> s.runtimes().contains(runtime)).orElse(runtime == RuntimeKind.LOCAL);
    }
}
