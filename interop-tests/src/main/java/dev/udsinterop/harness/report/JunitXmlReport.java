// SPDX-License-Identifier: Apache-2.0
// JunitXmlReport: junit.xml, the results in the Surefire/Ant JUnit XML format that CI systems display.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link Report} as JUnit XML: one {@code <testsuite>} per server / client / transport / runtime, one
 * {@code <testcase>} per case. A failed result is a {@code <failure>} with its evidence; a skipped one is
 * {@code <skipped>}, and so is one not run (the run stopped early, {@code --max-failures}); an expected failure is
 * skipped too, with its recorded reason as the message and what was
 * seen as the text (pytest's convention for xfail), so CI reporters count it neither as a pass nor a failure.
 * A flaky result (failed, then passed on a retry) is a pass with a {@code <flakyFailure>}, as Surefire writes it.
 *
 * <p>The {@code classname} reads as the matrix in every reporter: {@code uds-interop.java / nc / unix / local}.
 * Jenkins splits a classname at its last dot into package and class, so the names in it never contain dots
 * (a dot in an id becomes {@code _}): package {@code uds-interop}, class {@code java / nc / unix / local}.
 * Reporters that show the classname whole (GitHub Actions' JUnit reporters) show the same text.
 */
public final class JunitXmlReport {

    /** The file name {@link ReportFiles} gives the JUnit XML report. */
    public static final String FILE_NAME = "junit.xml";

    /** Ant's timestamp form: local time without a zone; ours is UTC. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private JunitXmlReport() {
    }

    /**
     * Writes {@code report} to {@code file} as UTF-8 XML, replacing the file.
     *
     * @param report the report; not null
     * @param file the file to write; its directory must exist
     * @throws IOException when the file cannot be written
     */
    public static void write(Report report, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            try {
                write(report, xml);
                xml.flush();
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Report report, XMLStreamWriter xml) throws XMLStreamException {
        Summary summary = report.summary();
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuites");
        xml.writeAttribute("name", "uds-interop " + clean(report.runId()));
        xml.writeAttribute("tests", String.valueOf(summary.total()));
        xml.writeAttribute("failures", String.valueOf(summary.failed()));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", String.valueOf(summary.skipped() + summary.expectedFailure() + summary.notRun()
                + summary.unsupported()));
        xml.writeAttribute("time", seconds(report.results().stream().mapToLong(CaseResult::durationMs).sum()));
        xml.writeCharacters("\n");
        String timestamp = TIMESTAMP.format(report.startedAt());
        for (Map.Entry<Combination, List<CaseResult>> suite : Combination.group(report.results()).entrySet()) {
            suite(xml, suite.getKey(), suite.getValue(), timestamp);
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
    }

    private static void suite(XMLStreamWriter xml, Combination combination, List<CaseResult> results,
            String timestamp) throws XMLStreamException {
        xml.writeCharacters("  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(combination.label()));
        xml.writeAttribute("tests", String.valueOf(results.size()));
        xml.writeAttribute("failures", String.valueOf(count(results, Status.FAILED)));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", String.valueOf(count(results, Status.SKIPPED)
                + count(results, Status.EXPECTED_FAILURE) + count(results, Status.NOT_RUN) + count(results, Status.UNSUPPORTED)));
        xml.writeAttribute("time", seconds(results.stream().mapToLong(CaseResult::durationMs).sum()));
        xml.writeAttribute("timestamp", timestamp);
        xml.writeCharacters("\n");
        String className = className(combination);
        for (CaseResult result : results) {
            testCase(xml, className, result);
        }
        xml.writeCharacters("  ");
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    private static void testCase(XMLStreamWriter xml, String className, CaseResult result)
            throws XMLStreamException {
        xml.writeCharacters("    ");
        if (result.status() == Status.PASSED) {
            xml.writeEmptyElement("testcase");
            caseAttributes(xml, className, result);
            xml.writeCharacters("\n");
            return;
        }
        xml.writeStartElement("testcase");
        caseAttributes(xml, className, result);
        String message = result.failure() == null ? "" : clean(result.failure().message());
        switch (result.status()) {
            case FAILED -> {
                xml.writeStartElement("failure");
                xml.writeAttribute("message", message);
                xml.writeAttribute("type", result.expectedFailure() == null ? "failed" : "expected-failure-passed");
                xml.writeCharacters(clean(evidence(result)));
                xml.writeEndElement();
            }
            case SKIPPED, NOT_RUN, UNSUPPORTED -> { // a case not run is skipped with its reason, as Surefire's skipAfterFailureCount does
                xml.writeEmptyElement("skipped");
                xml.writeAttribute("message", message);
            }
            case EXPECTED_FAILURE -> {
                xml.writeStartElement("skipped");
                xml.writeAttribute("type", "expected-failure");
                xml.writeAttribute("message", clean(result.expectedFailure()));
                xml.writeCharacters(clean("expected failure, as recorded: " + message));
                xml.writeEndElement();
            }
            case FLAKY -> {
                // As Surefire's rerunFailingTestsCount writes a test that passed on a rerun: a pass (no failure
                // child) holding a <flakyFailure> with the failed run's message, and its evidence in <stackTrace>.
                // Surefire writes one per failed run; the report keeps one failed run's evidence, so one is written
                // and <system-out> says how many runs there were.
                xml.writeStartElement("flakyFailure");
                xml.writeAttribute("message", message);
                xml.writeAttribute("type", "flaky");
                xml.writeStartElement("stackTrace");
                xml.writeCharacters(clean(evidence(result)));
                xml.writeEndElement();
                if (result.attempts() != null) {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters("passed on a retry after failing: " + result.attempts() + " runs in all");
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            case WARNING -> {
                xml.writeStartElement("system-out");
                xml.writeCharacters(clean("warning: a SHOULD requirement did not hold: " + message));
                xml.writeEndElement();
            }
            case PASSED -> throw new AssertionError("handled above");
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    private static void caseAttributes(XMLStreamWriter xml, String className, CaseResult result)
            throws XMLStreamException {
        xml.writeAttribute("classname", className);
        xml.writeAttribute("name", clean(result.caseId()));
        xml.writeAttribute("time", seconds(result.durationMs()));
    }

    /** Returns {@code uds-interop.server / client / transport / runtime}, with no dot after the first. */
    static String className(Combination combination) {
        String label = String.join(" / ", combination.server(), combination.client(), combination.transport(),
                combination.runtime());
        return "uds-interop." + clean(label).replace('.', '_');
    }

    /** Returns the evidence of a failed result as text, one fact a line. */
    private static String evidence(CaseResult result) {
        Failure failure = result.failure();
        List<String> lines = new ArrayList<>();
        lines.add(result.displayName());
        if (failure != null) {
            lines.add(failure.message());
        }
        if (result.expectedFailure() != null) {
            lines.add("recorded as an expected failure: " + result.expectedFailure());
        }
        if (failure != null) {
            add(lines, "first differing offset: ", failure.firstDifferingOffset());
            add(lines, "expected bytes: ", failure.expectedHex());
            add(lines, "actual bytes:   ", failure.actualHex());
            add(lines, "expected sha256: ", failure.expectedSha256());
            add(lines, "actual sha256:   ", failure.actualSha256());
            add(lines, "", failure.detail());
        }
        return String.join("\n", lines);
    }

    private static void add(List<String> lines, String label, Object value) {
        if (value != null) {
            lines.add(label + value);
        }
    }

    private static long count(List<CaseResult> results, Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /**
     * Returns {@code text} with the characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates,
     * U+FFFE, U+FFFF) replaced by U+FFFD: a peer's stderr may hold them, and the writer does not check.
     */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c < 0xD800 || c >= 0xE000 && c < 0xFFFE) {
                out.append(c);
            } else {
                out.append('\uFFFD');
            }
        }
        return out.toString();
    }
}
