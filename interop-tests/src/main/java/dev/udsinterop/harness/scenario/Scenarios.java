// SPDX-License-Identifier: Apache-2.0
// Scenarios: the scenarios the manifest may name, each with its name.
package dev.udsinterop.harness.scenario;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Looks scenarios up by the name a manifest case gives in {@code scenario}. */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(new SignalExit(), new SignalDrain(), new StaleRestart(),
            new PathRefused(), new LiveConflict(), new FdBaseline(), new DisconnectMidStream(), new Reset(),
            new PausedClient());

    private Scenarios() {
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Returns the names of every scenario, which the local runtime runs. */
    public static Set<String> names() {
        return ALL.stream().map(Scenario::name).collect(Collectors.toUnmodifiableSet());
    }
}
