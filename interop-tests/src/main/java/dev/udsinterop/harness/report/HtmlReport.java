// SPDX-License-Identifier: Apache-2.0
// HtmlReport: report.html, one self-contained page for people: verdict, matrices, failure evidence, timings.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Report} as one HTML5 page that needs nothing else: the style sheet is inline, there are no
 * scripts, fonts, images or links off the page, so it can be archived as a CI artifact and opened anywhere,
 * and printed. Every string from the report is escaped.
 */
public final class HtmlReport {

    /** The file name {@link ReportFiles} gives the HTML report. */
    public static final String FILE_NAME = "report.html";

    private static final String STYLE_SHEET = "report.css";
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    /**
     * Writes {@code report} to {@code file} as UTF-8 HTML, replacing the file.
     *
     * @param report the report; not null
     * @param file the file to write; its directory must exist
     * @throws IOException when the file cannot be written
     */
    public static void write(Report report, Path file) throws IOException {
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    /** Returns the page for {@code report}. */
    static String render(Report report) {
        Markup html = new Markup();
        html.raw("<!DOCTYPE html>").newline().open("html", "lang", "en").newline().open("head")
                .raw("<meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .element("title", "uds-interop report · " + report.runId()).newline()
                .open("style").raw(styleSheet()).close("style").close("head").newline().open("body").newline();
        // The page's top answers the first questions: did it pass, where did what fail, how fast was each server.
        html.open("div", "class", "top");
        header(html, report);
        environment(html, report.environment());
        html.close("div").newline();

        List<CaseResult> results = report.results();
        String scenarioNote = HtmlMatrix.scenarioNote(results);
        html.open("section", "id", "overview").element("h2", "Overview");
        HtmlMatrix.legend(html);
        HtmlMatrix.overview(html, results);
        if (scenarioNote != null) {
            html.element("p", scenarioNote, "class", "note");
        }
        html.close("section").newline();

        Capabilities.section(html, results);

        html.open("section", "id", "timings").element("h2", "Timings");
        HtmlTimings.comparison(html, report.timings(), HtmlTimings.Order.of(results));
        html.close("section").newline();

        HtmlExpectedFailures expected = new HtmlExpectedFailures(results);
        html.open("section", "id", "cases").element("h2", "Cases");
        html.element("p", "One row per case, one column per server / transport · runtime / client. "
                + "Hover a square for its status and message; click a failure to jump to its evidence."
                + (scenarioNote == null ? "" : " " + scenarioNote), "class", "note");
        html.open("div", "class", "scroll");
        HtmlMatrix.cases(html, results, index -> isEvidence(results.get(index)) ? anchor(index) : expected.anchor(index));
        html.close("div").close("section").newline();

        if (report.mutants() != null) {
            HtmlMutants.section(html, report.mutants());
        }
        failures(html, results, expected);
        HtmlReliability.section(html, report.reliability());
        html.open("footer").text("uds-interop harness · report schema version " + report.schemaVersion()
                + " · the same data as report.json and junit.xml").close("footer").newline();
        html.close("body").newline().close("html").newline();
        return html.toString();
    }

    private static void header(Markup html, Report report) {
        Summary summary = report.summary();
        html.open("header").element("h1", "uds-interop report");
        String verdict = summary.isOk()
                ? "PASSED: no unexpected failures"
                : "FAILED: " + summary.failed() + " unexpected failure" + (summary.failed() == 1 ? "" : "s");
        if (summary.notRun() > 0) {
            verdict += ", " + summary.notRun() + " not run";
        }
        if (summary.warning() + summary.flaky() > 0) { // they do not fail the run, but nobody should miss them
            verdict += " (" + (summary.warning() > 0 ? summary.warning() + " SHOULD warning" + (summary.warning() == 1 ? "" : "s") : "")
                    + (summary.warning() > 0 && summary.flaky() > 0 ? ", " : "")
                    + (summary.flaky() > 0 ? summary.flaky() + " flaky" : "") + ")";
        }
        html.element("p", verdict, "class", "verdict " + (summary.isOk() ? "passed" : "failed"));
        html.open("p", "class", "badges")
                .element("span", summary.total() + " results", "class", "badge total")
                .element("span", summary.passed() + " passed", "class", "badge passed")
                .element("span", summary.failed() + " failed", "class", "badge failed")
                .element("span", summary.expectedFailure() + " expected-failure", "class", "badge expected-failure")
                .element("span", summary.skipped() + " skipped", "class", "badge skipped")
                .element("span", summary.flaky() + " flaky", "class", "badge flaky")
                .element("span", summary.warning() + " warning", "class", "badge warning");
        if (summary.notRun() > 0) {
            html.element("span", summary.notRun() + " not-run", "class", "badge not-run");
        }
        if (summary.unsupported() > 0) {
            html.element("span", summary.unsupported() + " unsupported", "class", "badge unsupported");
        }
        html.close("p").newline();
        if (report.coverage() != null) { // a default run leaves pairs out of the container runtimes: say so up here
            html.element("p", "Selection " + report.coverage().sentence().substring("selection ".length()),
                    "class", "note selection", "id", "selection");
        }
        html.open("table", "class", "facts");
        fact(html, "run id", report.runId(), null);
        fact(html, "started", WHEN.format(report.startedAt()), report.startedAt().toString());
        fact(html, "finished", WHEN.format(report.finishedAt()), report.finishedAt().toString());
        Duration took = Duration.between(report.startedAt(), report.finishedAt());
        fact(html, "duration", DurationText.of(took), took.toString());
        html.close("table").close("header").newline();
    }

    private static void environment(Markup html, Environment env) {
        html.open("section", "id", "environment").element("h2", "Environment", "class", "inline")
                .open("table", "class", "facts environment");
        // Two facts a row: the page's top should leave room for the overview and the timings.
        String[][] facts = {{"os", env.os()}, {"kernel", env.kernel()}, {"arch", env.arch()}, {"cpus",
            String.valueOf(env.cpuCount())}, {"cpu", env.cpuModel()}, {"jdk", env.jdk()}, {"go", env.go()},
            {"netcat", env.netcat()}, {"socat", env.socat()}, {"git commit", env.gitCommit()}};
        for (int i = 0; i < facts.length; i += 2) {
            html.open("tr").element("th", facts[i][0]).element("td", facts[i][1]);
            if (i + 1 < facts.length) {
                html.element("th", facts[i + 1][0]).element("td", facts[i + 1][1]);
            }
            html.close("tr");
        }
        html.close("table").close("section").newline();
    }

    private static void fact(Markup html, String name, String value, String title) {
        html.open("tr").element("th", name).element("td", value, "title", title).close("tr");
    }

    private static void failures(Markup html, List<CaseResult> results, HtmlExpectedFailures expected) {
        List<Integer> failed = new ArrayList<>();
        List<Integer> flakyOrWarning = new ArrayList<>();
        Map<String, Integer> notRun = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            switch (results.get(i).status()) {
                case FAILED -> failed.add(i);
                case FLAKY, WARNING -> flakyOrWarning.add(i);
                case NOT_RUN -> notRun.merge(String.valueOf(results.get(i).failure() == null ? null
                        : results.get(i).failure().message()), 1, Integer::sum);
                default -> { }
            }
        }
        html.open("section", "id", "failures").element("h2", "Failures");
        html.element("h3", "Unexpected failures (" + failed.size() + ")");
        if (failed.isEmpty()) {
            html.element("p", "None.", "class", "note");
        }
        failed.forEach(i -> evidence(html, results.get(i), i));
        // One line per reason, not a card per case: a stopped run can leave hundreds.
        notRun.forEach((reason, n) -> html.element("p", n + " case" + (n == 1 ? "" : "s") + " " + reason, "class",
                "note not-run"));
        if (!flakyOrWarning.isEmpty()) { // passed on a retry, or a SHOULD requirement missed: do not fail the run
            html.element("h3", "Flaky cases and warnings (" + flakyOrWarning.size() + ")");
            flakyOrWarning.forEach(i -> evidence(html, results.get(i), i));
        }
        // Known failures are the same every run: folded and grouped by reason, so that the unexpected ones stand out.
        html.open("details", "class", "expected").open("summary")
                .element("h3", "Expected failures (" + expected.count() + ")").close("summary");
        expected.write(html);
        html.close("details").close("section").newline();
    }

    private static void evidence(Markup html, CaseResult result, int index) {
        String status = result.status().json();
        html.open("article", "class", "evidence " + status, "id", anchor(index)).open("h4")
                .element("span", status, "class", "badge " + status).text(" " + result.displayName())
                .element("span", " " + DurationText.millis(result.durationMs()), "class", "took").close("h4");
        Failure failure = result.failure();
        if (failure != null) {
            html.element("p", failure.message(), "class", "message");
        }
        if (result.expectedFailure() != null) {
            html.open("p", "class", "reason").element("strong", "expected failure: ")
                    .text(result.expectedFailure()).close("p");
        }
        if (failure == null) {
            html.close("article").newline();
            return;
        }
        List<String[]> facts = new ArrayList<>();
        facts.add(new String[] {"kind", failure.kind().id(), null});
        if (failure.firstDifferingOffset() != null) {
            long offset = failure.firstDifferingOffset();
            facts.add(new String[] {"first differing offset", offset + " (0x" + Long.toHexString(offset) + ")", null});
        }
        if (result.attempts() != null) {
            facts.add(new String[] {"attempts", result.attempts() + " (the evidence is of a failed one)", null});
        }
        if (result.bytesSent() != null || result.bytesReceived() != null) {
            facts.add(new String[] {"bytes sent / received", result.bytesSent() + " / " + result.bytesReceived(), null});
        }
        if (failure.expectedSha256() != null) {
            facts.add(new String[] {"expected sha256", failure.expectedSha256(), "mono"});
        }
        if (failure.actualSha256() != null) {
            facts.add(new String[] {"actual sha256", failure.actualSha256(), "mono"});
        }
        if (!facts.isEmpty()) {
            html.open("table", "class", "facts");
            facts.forEach(f -> html.open("tr").element("th", f[0]).element("td", f[1], "class", f[2]).close("tr"));
            html.close("table");
        }
        if (failure.expectedHex() != null || failure.actualHex() != null) {
            hexWindows(html, failure.expectedHex(), failure.actualHex());
        }
        if (failure.detail() != null) {
            html.open("details").element("summary", "detail").element("pre", failure.detail()).close("details");
        }
        html.close("article").newline();
    }

    /** Writes both windows side by side, marking the bytes where they differ (the windows start at one offset). */
    private static void hexWindows(Markup html, String expectedHex, String actualHex) {
        List<String> expected = bytes(expectedHex);
        List<String> actual = bytes(actualHex);
        html.open("div", "class", "hex");
        for (int side = 0; side < 2; side++) {
            List<String> mine = side == 0 ? expected : actual;
            List<String> theirs = side == 0 ? actual : expected;
            html.open("div").element("div", side == 0 ? "expected" : "actual", "class", "label").open("code");
            if (mine.isEmpty()) {
                html.element("span", "(no bytes)", "class", "note");
            }
            for (int i = 0; i < mine.size(); i++) {
                boolean differs = i >= theirs.size() || !theirs.get(i).equals(mine.get(i));
                html.text(i == 0 ? "" : " ");
                if (differs) {
                    html.element("mark", mine.get(i));
                } else {
                    html.text(mine.get(i));
                }
            }
            html.close("code").close("div");
        }
        html.close("div");
    }

    private static List<String> bytes(String hex) {
        if (hex == null) {
            return List.of();
        }
        String digits = hex.replace(" ", "");
        List<String> bytes = new ArrayList<>();
        for (int i = 0; i + 1 < digits.length(); i += 2) {
            bytes.add(digits.substring(i, i + 2));
        }
        return bytes;
    }

    /** Returns true for the results that get a card of their own; expected failures are listed by reason instead. */
    private static boolean isEvidence(CaseResult result) {
        return result.failure() != null && result.status() != Status.SKIPPED && result.status() != Status.EXPECTED_FAILURE
                && result.status() != Status.NOT_RUN && result.status() != Status.UNSUPPORTED;
    }

    private static String anchor(int index) {
        return "result-" + index;
    }

    private static String styleSheet() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(STYLE_SHEET)) {
            if (in == null) {
                throw new IllegalStateException(STYLE_SHEET + " is missing from the classpath beside "
                        + HtmlReport.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STYLE_SHEET, e);
        }
    }
}
