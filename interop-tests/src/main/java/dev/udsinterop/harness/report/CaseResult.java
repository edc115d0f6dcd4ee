// SPDX-License-Identifier: Apache-2.0
// CaseResult: what one matrix entry did: its coordinates, verdict, duration and, when it failed, why.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;

/**
 * One result record of the report.
 *
 * @param server the server's id, e.g. {@code java}
 * @param client the client's id, e.g. {@code nc}
 * @param transport {@code unix} or {@code tcp}
 * @param runtime where server and client ran, e.g. {@code local}
 * @param caseId the case's stable id from the manifest, e.g. {@code echo.size.4097}
 * @param status the verdict
 * @param durationMs how long the case took, wall clock
 * @param bytesSent payload bytes the client sent (null when not applicable)
 * @param bytesReceived bytes the client received back (null when not applicable)
 * @param failure why it failed (for {@code failed} and {@code expected-failure}); the reason it was skipped or not run
 * @param expectedFailure the recorded reason this server is expected to fail the case, or null
 * @param attempts how many times the case ran, when more than once ({@code --retries}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseResult(
        String server,
        String client,
        String transport,
        String runtime,
        @JsonProperty("case") String caseId,
        Status status,
        long durationMs,
        Long bytesSent,
        Long bytesReceived,
        Failure failure,
        String expectedFailure,
        Integer attempts) {

    /** A result of a case that ran once. */
    public CaseResult(String server, String client, String transport, String runtime, String caseId, Status status,
                      long durationMs, Long bytesSent, Long bytesReceived, Failure failure, String expectedFailure) {
        this(server, client, transport, runtime, caseId, status, durationMs, bytesSent, bytesReceived, failure,
                expectedFailure, null);
    }

    /** Returns this result as the outcome of {@code attempts} runs, with {@code status}. */
    public CaseResult afterAttempts(Status status, int attempts, long durationMs) {
        return new CaseResult(server, client, transport, runtime, caseId, status, durationMs, bytesSent, bytesReceived,
                failure, expectedFailure, attempts);
    }

    /** Returns the display name, {@code server / client / transport / runtime / case}. */
    public String displayName() {
        return String.join(" / ", server, client, transport, runtime, caseId);
    }
}
