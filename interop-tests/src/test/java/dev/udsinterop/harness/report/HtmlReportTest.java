// SPDX-License-Identifier: Apache-2.0
// HtmlReportTest: report.html shows every result and count, escapes report data, stands alone, and nests its tags.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>");
    private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "input", "link", "wbr");

    static String page;

    @BeforeAll
    static void write(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        HtmlReport.write(SampleReport.build(), file);
        page = Files.readString(file);
    }

    @Test
    void isAnHtml5PageWithTheTitleAndRunFacts() {
        assertThat(page).startsWith("<!DOCTYPE html>")
                .contains("<h1>uds-interop report</h1>")
                .contains("2025-05-01T120000Z-4f2a")
                .contains("2025-05-01 12:00:00 UTC")
                .contains("2025-05-01 12:02:13 UTC")
                .contains("2 min 13 s")
                .contains("OpenBSD netcat (Debian patchlevel 1.219-1)")
                .contains("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
    }

    @Test
    void containsEveryCaseIdAndEveryPartOfEveryDisplayName() {
        for (CaseResult result : SampleReport.build().results()) {
            assertThat(page).contains(result.server(), result.client(), result.transport(), result.runtime(),
                    result.caseId());
        }
        for (String caseId : SampleReport.CASES) {
            assertThat(page).contains("<th class=\"case\">" + caseId + "</th>");
        }
    }

    @Test
    void containsTheCountsAsBadges() {
        assertThat(page).contains("<span class=\"badge total\">240 results</span>")
                .contains("<span class=\"badge passed\">216 passed</span>")
                .contains("<span class=\"badge failed\">3 failed</span>")
                .contains("<span class=\"badge expected-failure\">15 expected-failure</span>")
                .contains("<span class=\"badge skipped\">6 skipped</span>")
                .contains("FAILED: 3 unexpected failures");
    }

    @Test
    void overviewCellsCountByStatusAndTakeTheWorstColour() {
        assertThat(page).contains("class=\"count failed\" title=\"java / nc / tcp / local: 8 passed, 1 failed, "
                + "1 skipped\">8 ✓ 1 ✗ 1 ⊘</td>");
        assertThat(page).contains("class=\"count expected-failure\"");
        assertThat(page).contains("class=\"count passed\" title=\"go / go / unix / local: 10 passed\">10 ✓</td>");
    }

    @Test
    void caseMatrixHasOneSquarePerCaseAndCombination() {
        int squares = count(page, "<td class=\"square ");
        assertThat(squares).isEqualTo(SampleReport.CASES.size() * 24);
        // The failed square links to its evidence, which the page has.
        Matcher link = Pattern.compile("<td class=\"square failed[^\"]*\" title=\"java / go / unix / local / "
                + "echo.size.4097\\nfailed \\([a-z-]+\\): [^\"]*\"><a href=\"#(result-\\d+)\">✗</a>").matcher(page);
        assertThat(link.find()).isTrue();
        assertThat(page).contains("<article class=\"evidence failed\" id=\"" + link.group(1) + "\">");
    }

    @Test
    void listsTheEvidenceOfEveryUnexpectedFailure() {
        assertThat(count(page, "<article class=\"evidence failed\"")).isEqualTo(3);
        assertThat(count(page, "<article class=\"evidence expected-failure\"")).isZero();
        Failure mismatch = SampleReport.MISMATCH;
        assertThat(page).contains(mismatch.message())
                .contains("4096 (0x1000)")
                .contains(mismatch.expectedSha256())
                .contains(mismatch.actualSha256())
                .contains("<code>0f 10 <mark>11</mark> <mark>12</mark> 13 14 15 16</code>")
                .contains("<code>0f 10 <mark>00</mark> <mark>00</mark> 13 14 15 16</code>")
                .contains("<pre>client stderr:\nwrite: broken pipe");
    }

    @Test
    void escapesEveryStringFromTheReport() {
        assertThat(page).doesNotContain("<script>alert(1)</script>")
                .contains("got &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;")
                .doesNotContain("<b>not bold</b>")
                .contains("&lt;/pre&gt;&lt;b&gt;not bold&lt;/b&gt;");
    }

    @Test
    void standsAloneWithoutScriptsOrNetworkReferences() {
        assertThat(page.toLowerCase()).doesNotContain("<script")
                .doesNotContain("http://")
                .doesNotContain("https://")
                .doesNotContain("@import")
                .doesNotContain("url(")
                .doesNotContain("<link")
                .doesNotContain("<img");
    }

    /** The 15 expected failures share one reason: one block, one row per case, not 15 cards. */
    @Test
    void groupsTheExpectedFailuresByReasonWithTheirCases() {
        String expected = page.substring(page.indexOf("<details class=\"expected\">"), page.indexOf("</details>",
                page.indexOf("<details class=\"expected\">")));
        assertThat(expected).contains("Expected failures (15)");
        assertThat(count(expected, "<div class=\"expected-group\">")).isEqualTo(1);
        assertThat(count(expected, SampleReport.SEED_REASON)).isEqualTo(1);
        assertThat(expected).contains("2 cases, 15 results");
        assertThat(count(expected, "<th class=\"case\">")).isEqualTo(2);
        assertThat(expected).contains("<th class=\"case\">echo.hello.no-half-close</th><td>seed</td><td>nc, socat, go, jdk</td>"
                + "<td>unix, tcp</td><td>local</td>");
        // echo.size.1m failed as expected everywhere but with jdk over tcp, where it passed (an unexpected failure)
        assertThat(expected).contains("<th class=\"case\">echo.size.1m</th><td>seed</td><td>nc, socat, go, jdk</td>");
    }

    @Test
    void theCaseMatrixLinksEveryExpectedFailureToItsRow() {
        Matcher link = Pattern.compile("<td class=\"square expected-failure[^\"]*\" title=\"[^\"]*\"><a href=\"#([^\"]+)\">")
                .matcher(page);
        int links = 0;
        while (link.find()) {
            links++;
            assertThat(page).contains("<tr id=\"" + link.group(1) + "\">");
        }
        assertThat(links).isEqualTo(15);
    }

    /** The page's top answers the first questions; the long lists come after. */
    @Test
    void showsTheSummaryTheOverviewAndTheTimingsFirst() {
        assertThat(page.indexOf("class=\"badges\"")).isLessThan(page.indexOf("id=\"overview\""));
        assertThat(page.indexOf("id=\"overview\"")).isLessThan(page.indexOf("id=\"timings\""));
        assertThat(page.indexOf("id=\"timings\"")).isLessThan(page.indexOf("id=\"cases\""));
        assertThat(page.indexOf("id=\"cases\"")).isLessThan(page.indexOf("id=\"failures\""));
    }

    @Test
    void comparesTheServersPerWorkloadInTheOverviewsOrder() {
        String connect = timingTable("connect");
        // java first, as in the overview, though the recorder sorts go first; transports as in the results
        assertThat(connect).contains("<th colspan=\"2\" class=\"server\">java</th><th colspan=\"2\" class=\"server\">go</th>");
        assertThat(connect).contains("<th class=\"transport\">unix</th><th class=\"transport\">tcp</th>"
                + "<th class=\"transport server-start\">unix</th>");
        assertThat(connect).contains(Markup.escape(HtmlTimings.describe("connect")));
        assertThat(timingTable("exchange")).contains(Markup.escape(HtmlTimings.describe("exchange")));
        // java / unix had the lowest median: marked; the others say how much slower they were
        assertThat(connect).contains("<td class=\"best\" title=\"java / jdk / unix / local\n1 sample: 950 ns\">"
                + "<span class=\"median\">950 ns</span><span class=\"detail\">fastest · 1 sample</span></td>");
        assertThat(connect).contains("<span class=\"median\">12.3 µs</span><span class=\"detail\">12.9× slower · 200 samples "
                + "· p90 19.9 µs</span>");
        assertThat(connect).contains("<td class=\"none\" title=\"not measured\">–</td>");
    }

    @Test
    void saysHowMuchSlowerWithTwoDecimalsNearOne() {
        Markup html = new Markup();
        HtmlTimings.comparison(html, List.of(
                new Timing("round-trip", "a", "nc", "unix", "local", 9, 90, 100_000, 0, 0, 120_000, 100_000),
                new Timing("round-trip", "b", "nc", "unix", "local", 9, 95, 105_000, 0, 0, 130_000, 105_000),
                new Timing("round-trip", "c", "nc", "unix", "local", 9, 95, 250_000, 0, 0, 300_000, 250_000)),
                new HtmlTimings.Order(List.of("a", "b", "c"), List.of("nc"), List.of("unix")));
        assertThat(html.toString()).contains(">fastest<", ">1.05× slower<", ">2.5× slower<")
                .contains("<h3>round-trip").contains("9 samples per cell");
    }

    @Test
    void ordersTheRowsLikeTheOverviewsClientColumns() {
        Markup html = new Markup();
        HtmlTimings.comparison(html, List.of(
                new Timing("round-trip (process)", "a", "nc", "unix", "local", 9, 1, 2, 3, 4, 5, 2),
                new Timing("round-trip (process)", "a", "socat", "unix", "local", 9, 1, 2, 3, 4, 5, 2)),
                new HtmlTimings.Order(List.of("a"), List.of("socat", "nc"), List.of("unix")));
        assertThat(html.toString()).containsSubsequence("<th>socat</th>", "<th>nc</th>");
    }

    /** p99 of 200 samples rests on 2 samples, p90 of 9 on none: such percentiles are not shown. */
    @Test
    void showsAPercentileOnlyWhereTheSamplesSupportIt() {
        assertThat(HtmlTimings.supports(49, 90)).isFalse();
        assertThat(HtmlTimings.supports(50, 90)).isTrue();
        assertThat(HtmlTimings.supports(499, 99)).isFalse();
        assertThat(HtmlTimings.supports(500, 99)).isTrue();
        String timings = page.substring(page.indexOf("id=\"timings\""), page.indexOf("id=\"cases\""));
        assertThat(timings).contains("· p90 19.9 µs").doesNotContain("· p99").doesNotContain("48 µs");
    }

    @Test
    void explainsCasesThatOnlyOneClientRuns() {
        List<CaseResult> results = new ArrayList<>();
        for (String client : List.of("nc", "java")) {
            results.add(new CaseResult("java", client, "unix", "local", "echo.hello", Status.PASSED, 1, 5L, 5L, null, null));
        }
        results.add(new CaseResult("java", "java", "unix", "local", "lifecycle.sigterm", Status.PASSED, 1, null, null, null, null));
        results.add(new CaseResult("java", "java", "unix", "local", "robustness.reset", Status.PASSED, 1, null, null, null, null));

        String note = HtmlMatrix.scenarioNote(results);
        assertThat(note).contains("java client column", "2 extra cases (lifecycle.*, robustness.*)",
                "scenarios the harness drives itself");
        assertThat(HtmlReport.render(SampleReport.of(results))).contains(Markup.escape(note));
        assertThat(HtmlMatrix.scenarioNote(SampleReport.build().results())).as("every case ran with every client").isNull();
    }

    private static String timingTable(String workload) {
        int start = page.indexOf("<article class=\"timing\"><h3>" + workload);
        assertThat(start).as(workload).isNotNegative();
        return page.substring(start, page.indexOf("</article>", start));
    }

    @Test
    void everyElementIsClosedInOrder() {
        assertThat(count(page, "<table")).isEqualTo(count(page, "</table>")).isGreaterThanOrEqualTo(5);
        Deque<String> open = new ArrayDeque<>();
        List<String> problems = new ArrayList<>();
        Matcher tag = TAG.matcher(page.substring(page.indexOf("<html")));
        while (tag.find()) {
            String name = tag.group(2).toLowerCase();
            if (VOID.contains(name)) {
                continue;
            }
            if (tag.group(1).isEmpty()) {
                open.push(name);
            } else if (open.isEmpty() || !open.pop().equals(name)) {
                problems.add("unexpected </" + name + "> at " + tag.start());
            }
        }
        assertThat(problems).isEmpty();
        assertThat(open).isEmpty();
    }

    @Test
    void aReportWithNothingInItStillRenders() {
        Report empty = SampleReport.of(List.of());
        String html = HtmlReport.render(new Report(empty.schemaVersion(), empty.runId(), empty.startedAt(),
                empty.finishedAt(), empty.environment(), List.of(), List.of(), empty.summary()));

        assertThat(html).contains("PASSED: no unexpected failures").contains("No timings were recorded.")
                .contains("Unexpected failures (0)");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
