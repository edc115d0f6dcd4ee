// SPDX-License-Identifier: Apache-2.0
// CaseOptions: the options run and check share, one spelling each: which cases with which clients, how long, what fails.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.matrix.Selection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A picocli mixin of {@code run} and {@code check}: the same option means the same thing in both. The plural
 * spellings {@code check} and {@code bench} took first stay accepted, so that no script breaks.
 */
final class CaseOptions {
    @Option(names = {"--client", "--clients"}, paramLabel = "GLOB", split = ",",
            description = "Only these clients: go-interop, python-interop, node-interop, rust-interop, nc, socat, java.")
    private List<String> clients = new ArrayList<>();

    @Option(names = {"--transport", "--transports"}, paramLabel = "GLOB", split = ",",
            description = "Only these transports: unix, tcp, seqpacket, datagram, abstract.")
    private List<String> transports = new ArrayList<>();

    @Option(names = {"--case", "--cases"}, paramLabel = "ID", split = ",",
            description = "Only these cases: an id, a dotted prefix (lifecycle, echo.size) or a glob ('echo.*.4096').")
    private List<String> cases = new ArrayList<>();

    @Option(names = "--timeout-scale", paramLabel = "FACTOR", defaultValue = "1.0",
            description = "Multiply every case's deadline (and check's start-up deadline), for slow machines "
                    + "(default: ${DEFAULT-VALUE}).")
    private double timeoutScale;

    // A server that fails everything (one that never sends EOF waits out every half-close case's deadline) would
    // otherwise keep a CI job busy for an hour to say what its first failures said; pytest's --maxfail and
    // Surefire's skipAfterFailureCount stop the same way.
    @Option(names = "--max-failures", paramLabel = "N", defaultValue = "0",
            description = "Stop after N unexpected failures: the cases not run by then are reported not-run, with "
                    + "the reason (default: ${DEFAULT-VALUE}, no limit).")
    private int maxFailures;

    @Option(names = "--require-all", description = "Fail the run if any case is skipped (a client or runtime missing); "
            + "the default when the environment has CI=true.")
    boolean requireAll;

    @Option(names = "--list", description = "Print the selected entries (server / client / transport / runtime / case) and exit.")
    boolean list;

    /** Returns the entries of {@code servers} (globs; empty for all) that these options select. */
    Selection selection(List<String> servers) {
        return new Selection(servers, clients, transports, Selection.idsOrPrefixes(cases));
    }

    /**
     * Returns the factor for every deadline.
     *
     * @throws UsageException if it is not positive
     */
    double timeoutScale() {
        if (timeoutScale <= 0) {
            throw new UsageException("--timeout-scale " + timeoutScale + ": want a positive factor");
        }
        return timeoutScale;
    }

    /**
     * Returns the limit of unexpected failures, 0 for none.
     *
     * @throws UsageException if it is negative
     */
    int maxFailures() {
        if (maxFailures < 0) {
            throw new UsageException("--max-failures " + maxFailures + ": want 0 (no limit) or more");
        }
        return maxFailures;
    }
}
