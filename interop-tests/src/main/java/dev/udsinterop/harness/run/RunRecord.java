// SPDX-License-Identifier: Apache-2.0
// RunRecord: collects the results and timings of a run and turns them into the Report.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.EnvironmentProbe;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.Summary;
import dev.udsinterop.harness.report.TimingRecorder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** What a run has seen so far. Thread-safe. */
public final class RunRecord {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Instant startedAt = Instant.now();
    private final String runId = RUN_ID.format(startedAt) + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final List<CaseResult> results = new ArrayList<>();
    private final TimingRecorder timings = new TimingRecorder();

    public TimingRecorder timings() {
        return timings;
    }

    public synchronized void add(CaseResult result) {
        results.add(result);
    }

    public synchronized List<CaseResult> results() {
        return List.copyOf(results);
    }

    /**
     * Returns the report of everything recorded, with the environment of the checkout at
     * {@code home} and the hash of its manifest.
     */
    public Report report(Path home) {
        List<CaseResult> all = results();
        return new Report(Report.SCHEMA_VERSION, runId, startedAt, Instant.now(), EnvironmentProbe.probe(home),
                new ArrayList<>(all), timings.summaries(), Summary.of(all),
                Manifest.sha256(new ProjectLayout(home).manifest()));
    }
}
