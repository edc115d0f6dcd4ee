// SPDX-License-Identifier: Apache-2.0
// SampleReport: a realistic report for the report package's tests: 3 servers x 4 clients x 2 transports, every status.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the same sample {@link Report} every time: 24 combinations of 10 cases, with passes, unexpected
 * failures (one with a byte-mismatch's full evidence, one with markup in its message), expected failures,
 * an expected failure that passed, skips, and timings.
 */
final class SampleReport {

    static final List<String> SERVERS = List.of("java", "go", "seed");
    static final List<String> CLIENTS = List.of("nc", "socat", "go", "jdk");
    static final List<String> TRANSPORTS = List.of("unix", "tcp");
    static final List<String> CASES = List.of("echo.empty", "echo.hello", "echo.hello.no-half-close",
            "echo.size.4097", "echo.size.1m", "order.one-byte-writes", "concurrency.64x1k", "lifecycle.sigterm",
            "robustness.reset", "robustness.idle-client");

    /** The message of the result whose failure is markup, to check escaping. */
    static final String HOSTILE_MESSAGE = "read java tcp 127.0.0.1:40123: got <script>alert(1)</script> & \"quotes\" 'too'";

    static final String SEED_REASON = "the seed server reads until EOF before it echoes (issue #1)";

    static final Failure MISMATCH = new Failure(FailureKind.MISMATCH,
            "read java unix /tmp/uds-interop/java.sock: echo differs at offset 4096",
            4096L,
            "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
            "0b4b6a06b2bd8a0e0c4b7f9a3d33b3bd4a1c1b3b5a7c4c3e2f1d0c9b8a7f6e5d",
            "0f 10 11 12 13 14 15 16",
            "0f 10 00 00 13 14 15 16",
            "client stderr:\nwrite: broken pipe\nserver stderr (last 2 lines):\nWARN short write\nclosed");

    private SampleReport() {
    }

    /** Returns the sample report. */
    static Report build() {
        List<CaseResult> results = results();
        return of(results);
    }

    /** Returns a report of {@code results} with the sample's run id, instants, environment and timings. */
    static Report of(List<CaseResult> results) {
        return new Report(Report.SCHEMA_VERSION, "2025-05-01T120000Z-4f2a",
                Instant.parse("2025-05-01T12:00:00.123456789Z"), Instant.parse("2025-05-01T12:02:13.5Z"),
                environment(), results, timings(), Summary.of(results));
    }

    static Environment environment() {
        return new Environment("Linux", "6.1.0-18-amd64", "amd64", "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
                8, "25.0.1+8-LTS (Eclipse Adoptium)", "go1.19.8", "OpenBSD netcat (Debian patchlevel 1.219-1)",
                "socat version 1.7.4.4 on 06 Nov 2022 08:15:51", "b32d7e2c6a0e1f4c8f0f5d0c2c7bb1f0a8d2e9e1-dirty");
    }

    private static List<CaseResult> results() {
        List<CaseResult> results = new ArrayList<>();
        for (String server : SERVERS) {
            for (String transport : TRANSPORTS) {
                for (String client : CLIENTS) {
                    for (String caseId : CASES) {
                        results.add(result(server, client, transport, caseId));
                    }
                }
            }
        }
        return results;
    }

    private static CaseResult result(String server, String client, String transport, String caseId) {
        long duration = 3 + (server.length() * 7L + client.length() * 13L + caseId.length()) % 40;
        if (server.equals("java") && client.equals("go") && transport.equals("unix") && caseId.equals("echo.size.4097")) {
            return new CaseResult(server, client, transport, "local", caseId, Status.FAILED, duration, 4097L, 4097L,
                    MISMATCH, null);
        }
        if (server.equals("java") && client.equals("nc") && transport.equals("tcp")
                && caseId.equals("robustness.reset")) {
            return new CaseResult(server, client, transport, "local", caseId, Status.FAILED, 5012, null, null,
                    Failure.of(HOSTILE_MESSAGE).withDetail("</pre><b>not bold</b>"), null);
        }
        if (client.equals("nc") && caseId.equals("order.one-byte-writes")) {
            return new CaseResult(server, client, transport, "local", caseId, Status.SKIPPED, 0, null, null,
                    Failure.of("nc cannot pace its writes"), null);
        }
        if (server.equals("seed") && (caseId.equals("echo.hello.no-half-close") || caseId.equals("echo.size.1m"))) {
            if (client.equals("jdk") && transport.equals("tcp") && caseId.equals("echo.size.1m")) {
                return new CaseResult(server, client, transport, "local", caseId, Status.FAILED, duration, 1048576L,
                        1048576L, Failure.of("expected failure passed: " + SEED_REASON), SEED_REASON);
            }
            return new CaseResult(server, client, transport, "local", caseId, Status.EXPECTED_FAILURE, 10000, 5L, 0L,
                    Failure.of("read seed " + transport + ": timed out after 10000 ms with 0 of 5 bytes"),
                    SEED_REASON);
        }
        long bytes = caseId.equals("echo.size.1m") ? 1048576 : caseId.equals("echo.size.4097") ? 4097 : 5;
        return new CaseResult(server, client, transport, "local", caseId, Status.PASSED, duration, bytes, bytes,
                null, null);
    }

    private static List<Timing> timings() {
        return List.of(
                new Timing("connect", "go", "jdk", "unix", "local", 200, 8_100, 12_300, 19_900, 48_000, 90_112,
                        13_456.5),
                new Timing("exchange", "go", "jdk", "unix", "local", 200, 1_200_000, 4_100_000, 5_000_000, 7_990_000,
                        12_000_000, 4_200_000.25),
                new Timing("connect", "java", "jdk", "tcp", "local", 200, 20_000, 31_000, 40_000, 95_000, 2_100_000_000L,
                        40_100.0),
                new Timing("connect", "java", "jdk", "unix", "local", 1, 950, 950, 950, 950, 950, 950.0));
    }
}
