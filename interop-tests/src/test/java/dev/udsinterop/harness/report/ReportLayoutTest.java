// SPDX-License-Identifier: Apache-2.0
// ReportLayoutTest: report.html of a polyglot run, rendered by headless Chromium at 1280 px: no table covers another.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.udsinterop.harness.verdict.Status;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the page of a run as wide as the polyglot matrix makes it (7 servers x 7 clients x 2 transports x 4
 * runtimes, timings for every pair) in Debian's headless {@code chromium} at 1280 x 1024, the way a person opens
 * it, and reads back where each table landed: a script added to a copy of the page writes every table's visible
 * box (its rectangle clipped by the scrolling boxes around it) into the DOM that {@code --dump-dom} prints.
 *
 * <p>What a reader needs: no table's visible box intersects another's (a wide timing table used to run under its
 * neighbour), and the page itself does not scroll sideways: whatever is wider scrolls inside its own box.
 * {@code ./uds-interop test} installs chromium (setup); without it this test fails and says so.
 */
class ReportLayoutTest {

    static final List<String> SERVERS = List.of("java", "go-echo", "go-seed", "python", "node", "rust", "c-epoll");
    static final List<String> CLIENTS = List.of("nc", "socat", "java", "go-interop", "python", "node", "rust");
    static final List<String> RUNTIMES = List.of("local", "container", "cross-server", "cross-client");
    static final List<String> CASES = List.of("echo.empty", "echo.hello", "echo.size.4097", "echo.size.1m",
            "order.one-byte-writes", "concurrency.64x1k", "lifecycle.sigterm", "robustness.reset");
    static final int WIDTH = 1280;
    private static final Pattern BOXES = Pattern.compile("<pre id=\"layout-boxes\">([^<]*)</pre>");

    /** Adds up each table's rectangle, clipped by every ancestor that does not let its content overflow. */
    private static final String MEASURE = """
            <script>
            window.addEventListener('load', () => {
              const visible = e => {
                let r = e.getBoundingClientRect();
                let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
                for (let a = e.parentElement; a; a = a.parentElement) {
                  if (getComputedStyle(a).overflowX === 'visible') continue;
                  const c = a.getBoundingClientRect();
                  box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top),
                         right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
                }
                return box;
              };
              const tables = [...document.querySelectorAll('table')].filter(t => !t.parentElement.closest('table'))
                .map(t => Object.assign({name: (t.className || 'table') + ' in '
                    + (t.closest('article, section') || document.body).textContent.slice(0, 40)}, visible(t)));
              const out = document.createElement('pre');
              out.id = 'layout-boxes';
              // URI-encoded: --dump-dom escapes markup in text, and decoding that is URLDecoder's job, not ours
              out.textContent = encodeURIComponent(JSON.stringify({pageWidth: document.documentElement.scrollWidth,
                  viewport: window.innerWidth, tables: tables}));
              document.body.appendChild(out);
            });
            </script>
            """;

    private static JsonNode layout;

    @BeforeAll
    static void render(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");
        HtmlReport.write(polyglotReport(), page);
        String html = Files.readString(page).replace("</body>", MEASURE + "</body>");
        Files.writeString(page, html);
        String dom = HeadlessChromium.dumpDom(dir, page.toUri(), WIDTH, Duration.ofSeconds(90));
        Matcher m = BOXES.matcher(dom);
        assertThat(m.find()).as("chromium printed the page with the measuring script's output").isTrue();
        layout = new ObjectMapper().readTree(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
    }

    @Test
    void theTablesWereMeasured() {
        // overview, timing tables for connect / round-trip / throughput, the case matrix, the environment
        assertThat(layout.get("tables").size()).isGreaterThanOrEqualTo(5);
        assertThat(layout.get("viewport").asInt()).isEqualTo(WIDTH);
    }

    @Test
    void noTableCoversAnother() {
        List<JsonNode> tables = new ArrayList<>();
        layout.get("tables").forEach(tables::add);
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            for (int j = i + 1; j < tables.size(); j++) {
                if (intersect(tables.get(i), tables.get(j))) {
                    overlaps.add(describe(tables.get(i)) + " and " + describe(tables.get(j)));
                }
            }
        }
        assertThat(overlaps).as("tables whose visible boxes intersect at %d px", WIDTH).isEmpty();
    }

    @Test
    void thePageDoesNotScrollSideways() {
        assertThat(layout.get("pageWidth").asInt()).as("the page's scroll width at a %d px window", WIDTH)
                .isLessThanOrEqualTo(layout.get("viewport").asInt());
    }

    private static boolean intersect(JsonNode a, JsonNode b) {
        // one pixel of tolerance: adjacent boxes share an edge after rounding
        return Math.min(a.get("right").asDouble(), b.get("right").asDouble())
                - Math.max(a.get("left").asDouble(), b.get("left").asDouble()) > 1
                && Math.min(a.get("bottom").asDouble(), b.get("bottom").asDouble())
                - Math.max(a.get("top").asDouble(), b.get("top").asDouble()) > 1;
    }

    private static String describe(JsonNode t) {
        return "'" + t.get("name").asText().replaceAll("\\s+", " ").strip() + "' ["
                + Math.round(t.get("left").asDouble()) + ".." + Math.round(t.get("right").asDouble()) + " x "
                + Math.round(t.get("top").asDouble()) + ".." + Math.round(t.get("bottom").asDouble()) + "]";
    }

    /** A report as a run of every server x client x transport x runtime writes it. */
    static Report polyglotReport() {
        List<CaseResult> results = new ArrayList<>();
        List<Timing> timings = new ArrayList<>();
        long n = 0;
        for (String runtime : RUNTIMES) {
            for (String server : SERVERS) {
                for (String transport : List.of("unix", "tcp")) {
                    for (String client : CLIENTS) {
                        for (String caseId : CASES) {
                            results.add(new CaseResult(server, client, transport, runtime, caseId, Status.PASSED,
                                    3 + n++ % 40, 5L, 5L, null, null));
                        }
                        if (!client.equals("nc") && !client.equals("socat")) {
                            for (String workload : List.of("connect", "round-trip", "echo.size.1m")) {
                                long base = 9_000 + 1_000 * (n++ % 17);
                                timings.add(new Timing(workload, server, client, transport, runtime, 400, base,
                                        base * 2, base * 3, base * 5, base * 40, base * 2.2));
                            }
                        } else {
                            long base = 900_000 + 10_000 * (n++ % 17);
                            timings.add(new Timing("round-trip (process)", server, client, transport, runtime, 40,
                                    base, base * 2, base * 3, base * 4, base * 5, base * 2.1));
                        }
                    }
                }
            }
        }
        return new Report(Report.SCHEMA_VERSION, "2026-12-03T190000Z-layout", Instant.parse("2026-12-03T19:00:00Z"),
                Instant.parse("2026-12-03T19:04:00Z"), SampleReport.environment(), results, timings,
                Summary.of(results));
    }
}
