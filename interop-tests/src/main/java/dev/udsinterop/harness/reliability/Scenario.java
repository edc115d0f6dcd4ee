// SPDX-License-Identifier: Apache-2.0
// Scenario: one reliability scenario against the Java server, with its figures as the result.
package dev.udsinterop.harness.reliability;

import dev.udsinterop.harness.report.ReliabilityResult;

/** A reliability scenario. It starts and stops its own server and cleans up after itself, also when it fails. */
interface Scenario {
    ReliabilityResult run(ReliabilityContext context) throws Exception;
}
