// SPDX-License-Identifier: Apache-2.0
// ReliabilityResult: one reliability scenario's figures (soak, idle connections, slow readers, SIGTERM under load, ...).
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one reliability scenario measured against a server.
 *
 * @param scenario a short name, e.g. {@code soak}
 * @param description what the scenario does, in one sentence
 * @param server the server's id
 * @param connections connections opened
 * @param bytes bytes echoed and checked
 * @param lostBytes bytes sent but not echoed, or echoed wrong or extra; 0 to pass
 * @param peakRssKiB the server's peak resident memory during the scenario, or null when not measured
 * @param durationMs how long the scenario ran
 * @param verdict {@code pass} or {@code fail}
 * @param detail the scenario's other figures and, on failure, why
 */
public record ReliabilityResult(
        String scenario,
        String description,
        String server,
        long connections,
        long bytes,
        long lostBytes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long peakRssKiB,
        long durationMs,
        String verdict,
        String detail) {

    public static final String PASS = "pass";
    public static final String FAIL = "fail";

    public boolean passed() {
        return PASS.equals(verdict);
    }
}
