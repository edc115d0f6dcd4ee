// SPDX-License-Identifier: Apache-2.0
// Scenario: a lifecycle or robustness case the harness drives itself: signals, killed servers, rude clients.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.verdict.Failure;
import java.util.Set;

/** The code behind a manifest case's {@code scenario} name. */
public interface Scenario {

    /** Returns the name a manifest case gives in {@code scenario}, e.g. {@code signal-exit}. */
    String name();

    /**
     * Returns the runtimes the scenario runs in: by default the local one only, for a scenario that drives this
     * machine's files and processes; one that uses only {@link ScenarioContext}'s runtime-neutral means runs in more.
     */
    default Set<RuntimeKind> runtimes() {
        return Set.of(RuntimeKind.LOCAL);
    }

    /** Runs the scenario; returns null when the case's requirement held, otherwise the evidence. */
    Failure run(ScenarioContext context) throws Exception;
}
