// SPDX-License-Identifier: Apache-2.0
// Trial: one reliability trial: the Java server put under one kind of stress, measured, its figures as the result.
package dev.udsinterop.harness.reliability;

import dev.udsinterop.harness.report.ReliabilityResult;

/**
 * A reliability trial. Unlike a manifest case it yields figures (connections, bytes, peak RSS, a detail line)
 * besides its pass or fail. It starts and stops its own server and cleans up after itself, also when it fails.
 */
interface Trial {
    /** Returns the trial's name in {@code soak --scenario} and in the report, e.g. {@code slow-readers}. */
    String name();

    ReliabilityResult run(ReliabilityContext context) throws Exception;
}
