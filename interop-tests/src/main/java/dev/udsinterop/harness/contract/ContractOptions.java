// SPDX-License-Identifier: Apache-2.0
// ContractOptions: what an EchoServerContract runs (cases, clients, transports) and how (known failures, strictness, scale, reports).
package dev.udsinterop.harness.contract;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of {@code ./uds-interop check}, for {@link EchoServerContract}. Immutable;
 * each {@code with...} returns a copy.
 *
 * @param cases case ids, dotted prefixes ({@code lifecycle}) or globs; empty for all
 * @param clients client globs ({@code go-interop}, {@code python-interop}, {@code nc}, {@code socat}, {@code java}); empty for all
 * @param transports {@code unix}, {@code tcp}; empty for those the server's placeholders imply
 * @param knownFailures a file in the format of {@code fixtures/expected-failures.json}, or null
 * @param strict whether a failed SHOULD case fails its test
 * @param timeoutScale the factor for every case's deadline
 * @param reports where to write report.json, report.html and junit.xml once all tests ran, or null
 */
public record ContractOptions(List<String> cases, List<String> clients, List<String> transports, Path knownFailures,
                              boolean strict, double timeoutScale, Path reports) {
    /** Every case with every client, SHOULD cases as warnings, deadlines as in the manifest, no report files. */
    public static final ContractOptions DEFAULTS = new ContractOptions(List.of(), List.of(), List.of(), null, false, 1.0, null);

    public ContractOptions {
        cases = List.copyOf(cases);
        clients = List.copyOf(clients);
        transports = List.copyOf(transports);
        if (timeoutScale <= 0) {
            throw new IllegalArgumentException("timeout scale " + timeoutScale + ": want a positive factor");
        }
    }

    public ContractOptions withCases(String... ids) {
        return new ContractOptions(List.of(ids), clients, transports, knownFailures, strict, timeoutScale, reports);
    }

    public ContractOptions withClients(String... globs) {
        return new ContractOptions(cases, List.of(globs), transports, knownFailures, strict, timeoutScale, reports);
    }

    public ContractOptions withTransports(String... globs) {
        return new ContractOptions(cases, clients, List.of(globs), knownFailures, strict, timeoutScale, reports);
    }

    public ContractOptions withKnownFailures(Path file) {
        return new ContractOptions(cases, clients, transports, file, strict, timeoutScale, reports);
    }

    public ContractOptions withStrict(boolean strict) {
        return new ContractOptions(cases, clients, transports, knownFailures, strict, timeoutScale, reports);
    }

    public ContractOptions withTimeoutScale(double scale) {
        return new ContractOptions(cases, clients, transports, knownFailures, strict, scale, reports);
    }

    public ContractOptions withReports(Path directory) {
        return new ContractOptions(cases, clients, transports, knownFailures, strict, timeoutScale, directory);
    }
}
