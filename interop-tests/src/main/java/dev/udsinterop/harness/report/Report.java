// SPDX-License-Identifier: Apache-2.0
// Report: everything one run saw; written as report.json (checked against report.schema.json), report.html, junit.xml.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The report of one run. Its JSON form is specified by {@code report.schema.json} beside
 * this class; {@link #SCHEMA_VERSION} changes whenever that schema changes incompatibly.
 *
 * @param schemaVersion the schema version this report follows
 * @param runId a unique id of the run
 * @param startedAt when the run started
 * @param finishedAt when it finished
 * @param environment the machine and tool versions
 * @param results one record per server / client / transport / runtime / case, in run order
 * @param timings one summary per measured series
 * @param summary counts per status
 * @param manifestSha256 SHA-256 of the fixture manifest the cases came from (reports of different
 *     manifests do not merge), or null when unknown
 * @param reliability the reliability scenarios (soak, idle connections, slow readers, ...), or null when the
 *     run had none; optional in the schema
 * @param mutants the mutants table of a run of deliberately broken servers (the cases that caught each), or
 *     null; optional in the schema
 * @param coverage which part of the whole server x client product the run took (run's default or --full) and
 *     what it left out, or null when the run chose none (check, merge); optional in the schema
 */
public record Report(
        int schemaVersion,
        String runId,
        Instant startedAt,
        Instant finishedAt,
        Environment environment,
        List<CaseResult> results,
        List<Timing> timings,
        Summary summary,
        @JsonInclude(JsonInclude.Include.NON_NULL) String manifestSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<ReliabilityResult> reliability,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MutantVerdict> mutants,
        @JsonInclude(JsonInclude.Include.NON_NULL) Coverage coverage) {

    /** A report without a statement of its coverage. */
    public Report(int schemaVersion, String runId, Instant startedAt, Instant finishedAt, Environment environment,
                  List<CaseResult> results, List<Timing> timings, Summary summary, String manifestSha256,
                  List<ReliabilityResult> reliability, List<MutantVerdict> mutants) {
        this(schemaVersion, runId, startedAt, finishedAt, environment, results, timings, summary, manifestSha256, reliability,
                mutants, null);
    }

    /** A report without a mutants table. */
    public Report(int schemaVersion, String runId, Instant startedAt, Instant finishedAt, Environment environment,
                  List<CaseResult> results, List<Timing> timings, Summary summary, String manifestSha256,
                  List<ReliabilityResult> reliability) {
        this(schemaVersion, runId, startedAt, finishedAt, environment, results, timings, summary, manifestSha256, reliability,
                null);
    }

    /** Returns this report with the mutants table {@code verdicts}. */
    public Report withMutants(List<MutantVerdict> verdicts) {
        return new Report(schemaVersion, runId, startedAt, finishedAt, environment, results, timings, summary, manifestSha256,
                reliability, List.copyOf(verdicts), coverage);
    }

    /** Returns this report with the statement of its coverage. */
    public Report withCoverage(Coverage statement) {
        return new Report(schemaVersion, runId, startedAt, finishedAt, environment, results, timings, summary, manifestSha256,
                reliability, mutants, statement);
    }

    /** A report without a manifest hash or reliability scenarios. */
    public Report(int schemaVersion, String runId, Instant startedAt, Instant finishedAt, Environment environment,
                  List<CaseResult> results, List<Timing> timings, Summary summary) {
        this(schemaVersion, runId, startedAt, finishedAt, environment, results, timings, summary, null, null, null);
    }

    /** A report without reliability scenarios. */
    public Report(int schemaVersion, String runId, Instant startedAt, Instant finishedAt, Environment environment,
                  List<CaseResult> results, List<Timing> timings, Summary summary, String manifestSha256) {
        this(schemaVersion, runId, startedAt, finishedAt, environment, results, timings, summary, manifestSha256, null, null);
    }

    /** The version of the report schema this code writes. */
    public static final int SCHEMA_VERSION = 1;
}
