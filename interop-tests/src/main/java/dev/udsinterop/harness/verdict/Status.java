// SPDX-License-Identifier: Apache-2.0
// Status: the verdict on one matrix entry, as the report names it.
package dev.udsinterop.harness.verdict;

import com.fasterxml.jackson.annotation.JsonValue;

/** The verdict on one server / client / transport / runtime / case. */
public enum Status {
    /** The case's requirement held. */
    PASSED("passed"),
    /** The requirement did not hold, and nobody expected that; or an expected failure passed. */
    FAILED("failed"),
    /** The requirement did not hold, as recorded for this server (a known bug, such as the seed server's). */
    EXPECTED_FAILURE("expected-failure"),
    /** Not run: the client cannot express the case, or a prerequisite is missing; the reason says which. */
    SKIPPED("skipped"),
    /** Failed, then passed when run again ({@code --retries}): never a plain pass; the failure is the evidence. */
    FLAKY("flaky"),
    /** A SHOULD requirement did not hold: reported, but it does not fail the run (unless the run is strict). */
    WARNING("warning"),
    /**
     * Not run: the run stopped early ({@code --max-failures} reached) before the case's turn; the reason says why.
     * It does not fail the run by itself: the failures that stopped it do.
     */
    NOT_RUN("not-run"),
    /**
     * Not run: the server or the client declares it cannot do what the case needs (a seqpacket socket, descriptor
     * passing, an abstract name); the reason says which. A declared capability, never a guess: it is neither a pass
     * nor a failure, is counted apart, and unlike a skip it does not fail a run that must run everything (CI=true).
     */
    UNSUPPORTED("unsupported");

    private final String json;

    Status(String json) {
        this.json = json;
    }

    /** Returns the name used in the JSON report, e.g. {@code expected-failure}. */
    @JsonValue
    public String json() {
        return json;
    }

    /** Returns true unless the status fails the run. */
    public boolean isOk() {
        return this != FAILED;
    }
}
