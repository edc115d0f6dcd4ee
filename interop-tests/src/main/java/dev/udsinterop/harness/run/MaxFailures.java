// SPDX-License-Identifier: Apache-2.0
// MaxFailures: --max-failures N, the one spelling check and run share: after N unexpected failures the rest is not run.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.cli.UsageException;
import picocli.CommandLine.Option;

/**
 * The option, as a picocli mixin of both commands. A server that fails everything (one that never sends EOF
 * waits out every half-close case's deadline) would otherwise keep a CI job busy for an hour to say what its
 * first failures said; pytest's {@code --maxfail} and Surefire's {@code skipAfterFailureCount} stop the same way.
 */
final class MaxFailures {
    @Option(names = "--max-failures", paramLabel = "N", defaultValue = "0",
            description = "Stop after N unexpected failures: the cases not run by then are reported not-run, with "
                    + "the reason (default: ${DEFAULT-VALUE}, no limit).")
    private int limit;

    /**
     * Returns the limit, 0 for none.
     *
     * @throws UsageException if it is negative
     */
    int limit() {
        if (limit < 0) {
            throw new UsageException("--max-failures " + limit + ": want 0 (no limit) or more");
        }
        return limit;
    }
}
