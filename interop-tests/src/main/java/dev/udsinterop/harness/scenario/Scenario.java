// SPDX-License-Identifier: Apache-2.0
// Scenario: a lifecycle or robustness case the harness drives itself: signals, killed servers, rude clients.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.verdict.Failure;

/** The code behind a manifest case's {@code scenario} name. */
public interface Scenario {

    /** Returns the name a manifest case gives in {@code scenario}, e.g. {@code signal-exit}. */
    String name();

    /** Runs the scenario; returns null when the case's requirement held, otherwise the evidence. */
    Failure run(ScenarioContext context) throws Exception;
}
