// SPDX-License-Identifier: Apache-2.0
// Workloads: which timing series a sample belongs to, so that only like is summarised with like.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.peer.Exchange;

/**
 * Names the series of a timing sample, or drops it. A percentile over a 1-byte echo and a
 * 16 MiB echo means nothing, so series are cut by case tags: {@code rtt} cases (one
 * connection, at most 4 KiB) give the round trip, {@code throughput} cases their own
 * series; concurrent cases measure queueing and give none.
 */
final class Workloads {
    private Workloads() {
    }

    /** Returns the workload name for sample {@code s} of case {@code c}, or null to drop it. */
    static String of(InteropCase c, Exchange.Sample s) {
        if (c.connections() > 1) {
            return null;
        }
        if (s.workload().equals("connect")) {
            return "connect";
        }
        boolean whole = s.workload().equals("last-byte") || s.workload().equals("exchange");
        if (!whole) {
            return null;
        }
        // A client program's run includes its own start-up: a series of its own.
        String suffix = s.workload().equals("exchange") ? " (process)" : "";
        if (c.tags().contains("rtt")) {
            return "round-trip" + suffix;
        }
        if (c.tags().contains("throughput")) {
            return c.id() + suffix;
        }
        return null;
    }
}
