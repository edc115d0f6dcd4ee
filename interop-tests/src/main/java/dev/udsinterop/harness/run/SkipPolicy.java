// SPDX-License-Identifier: Apache-2.0
// SkipPolicy: whether a skipped case (a client, a runtime or a prerequisite missing) may pass the run: not under CI or --require-all.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.util.Map;

/**
 * A skip is a hole in the matrix: with nc missing a whole column is skipped, and a green run
 * would hide it. On a developer's machine a skip is shown and allowed; under CI
 * ({@code CI=true}) or with {@code --require-all} it is a failure of kind {@code skipped},
 * and the JUnit suite fails it instead of turning it into an assumption skip. Every source
 * of skips (missing clients, a runtime without Docker) goes through here.
 *
 * @param requiredBy why every case must run ({@code CI=true}, {@code --require-all}), or null when skips are allowed
 */
public record SkipPolicy(String requiredBy) {

    /** Returns the policy for this process: {@code requireAll} (the option), else the environment's {@code CI}. */
    public static SkipPolicy of(boolean requireAll) {
        return of(requireAll, System.getenv());
    }

    static SkipPolicy of(boolean requireAll, Map<String, String> environment) {
        if (requireAll) {
            return new SkipPolicy("--require-all");
        }
        return "true".equalsIgnoreCase(environment.getOrDefault("CI", "")) ? new SkipPolicy("CI=true") : new SkipPolicy(null);
    }

    /** Returns true if skips may pass the run. */
    public boolean allowsSkips() {
        return requiredBy == null;
    }

    /** Returns {@code r}, or, if it is a skip this policy does not allow, a failure of kind {@code skipped} saying why. */
    public CaseResult apply(CaseResult r) {
        if (allowsSkips() || r.status() != Status.SKIPPED) {
            return r;
        }
        String context = "skipped, and every case must run under " + requiredBy;
        Failure f = r.failure() == null
                ? Failure.of(FailureKind.SKIPPED, "run", r.client(), r.transport(), context + ": no reason given")
                : r.failure().withContext(context); // run CLIENT TRANSPORT: context: why it was skipped
        return new CaseResult(r.server(), r.client(), r.transport(), r.runtime(), r.caseId(), Status.FAILED, r.durationMs(),
                r.bytesSent(), r.bytesReceived(), f, r.expectedFailure());
    }
}
