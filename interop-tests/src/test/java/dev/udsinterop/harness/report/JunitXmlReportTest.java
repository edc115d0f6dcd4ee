// SPDX-License-Identifier: Apache-2.0
// JunitXmlReportTest: junit.xml parses, has a suite per combination, and maps each status as CI systems expect.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlReportTest {

    @TempDir
    Path dir;

    @Test
    void hasOneSuitePerCombinationWithItsCounts() throws Exception {
        Document xml = write(SampleReport.build());

        Element root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("240");
        assertThat(root.getAttribute("failures")).isEqualTo("3");
        assertThat(root.getAttribute("skipped")).as("6 skipped + 15 expected failures").isEqualTo("21");
        List<Element> suites = elements(xml.getElementsByTagName("testsuite"));
        assertThat(suites).hasSize(24);
        assertThat(suites.getFirst().getAttribute("name")).isEqualTo("java / nc / unix / local");
        Element javaGoUnix = suites.stream()
                .filter(s -> s.getAttribute("name").equals("java / go / unix / local")).findFirst().orElseThrow();
        assertThat(javaGoUnix.getAttribute("tests")).isEqualTo("10");
        assertThat(javaGoUnix.getAttribute("failures")).isEqualTo("1");
        assertThat(javaGoUnix.getAttribute("skipped")).isEqualTo("0");
        assertThat(suites.stream().mapToInt(s -> Integer.parseInt(s.getAttribute("tests"))).sum()).isEqualTo(240);
    }

    @Test
    void mapsEachStatus() throws Exception {
        Document xml = write(SampleReport.build());

        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(240);
        assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(3);
        List<Element> skipped = elements(xml.getElementsByTagName("skipped"));
        assertThat(skipped).hasSize(21);
        assertThat(skipped).filteredOn(s -> s.getAttribute("type").isEmpty()).hasSize(6)
                .allSatisfy(s -> assertThat(s.getAttribute("message")).isEqualTo("nc cannot pace its writes"));
        // pytest's xfail convention: skipped, the known reason as the message, what was seen as the text
        assertThat(skipped).filteredOn(s -> s.getAttribute("type").equals("expected-failure")).hasSize(15)
                .allSatisfy(s -> {
                    assertThat(s.getAttribute("message")).isEqualTo(SampleReport.SEED_REASON);
                    assertThat(s.getTextContent()).startsWith("expected failure, as recorded: read seed ");
                });
        assertThat(xml.getElementsByTagName("system-out").getLength()).isZero();
    }

    @Test
    void aFailureCarriesItsMessageAndEvidence() throws Exception {
        Document xml = write(SampleReport.build());

        Element testCase = elements(xml.getElementsByTagName("testcase")).stream()
                .filter(c -> c.getAttribute("classname").equals("uds-interop.java / go / unix / local")
                        && c.getAttribute("name").equals("echo.size.4097"))
                .findFirst().orElseThrow();
        Element failure = (Element) testCase.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo(SampleReport.MISMATCH.message());
        assertThat(failure.getTextContent()).contains("first differing offset: 4096")
                .contains(SampleReport.MISMATCH.expectedSha256())
                .contains("actual bytes:   0f 10 00 00 13 14 15 16")
                .contains("write: broken pipe");
        assertThat(testCase.getAttribute("time")).matches("\\d+\\.\\d{3}");
    }

    @Test
    void markupAndControlCharactersInMessagesStayWellFormed() throws Exception {
        List<CaseResult> results = new ArrayList<>(SampleReport.build().results());
        results.add(new CaseResult("java", "nc", "unix", "local", "robustness.idle-client", Status.FAILED, 7, null,
                null, Failure.of("got \u0000\u001b[31m<b>&</b>\" \uD800 and ]]>").withDetail("tail \u0007 bell"),
                null));

        Document xml = write(SampleReport.of(results));

        List<Element> failures = elements(xml.getElementsByTagName("failure"));
        assertThat(failures).hasSize(4);
        Element hostile = failures.stream().filter(f -> f.getAttribute("message").startsWith("got "))
                .findFirst().orElseThrow();
        assertThat(hostile.getAttribute("message")).isEqualTo("got \uFFFD\uFFFD[31m<b>&</b>\" \uFFFD and ]]>");
        assertThat(hostile.getTextContent()).contains("tail \uFFFD bell");
    }

    /**
     * Reads the file as Jenkins's JUnit plugin does: the classname splits at its last dot into package and class;
     * a case is failed with a failure or error child, skipped with a skipped child, else passed. GitHub Actions'
     * reporters (dorny/test-reporter, mikepenz/action-junit-report, EnricoMi/publish-unit-test-result-action)
     * decide a case's result from the same children and show the classname whole, or group by suite.
     */
    @Test
    void readsAsTheMatrixInJenkinsAndGitHubReporters() throws Exception {
        List<CaseResult> results = new ArrayList<>(SampleReport.build().results());
        results.add(new CaseResult("v1.2", "nc", "unix", "local", "echo.hello", Status.PASSED, 1, 5L, 5L, null, null));
        Report report = SampleReport.of(results);
        Document xml = write(report);

        java.util.Set<String> packages = new java.util.TreeSet<>();
        java.util.Set<String> classes = new java.util.LinkedHashSet<>();
        java.util.Map<String, Integer> verdicts = new java.util.TreeMap<>();
        for (Element c : elements(xml.getElementsByTagName("testcase"))) {
            String classname = c.getAttribute("classname");
            int dot = classname.lastIndexOf('.');
            packages.add(classname.substring(0, dot));
            classes.add(classname.substring(dot + 1));
            String verdict = c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength() > 0
                    ? "failed" : c.getElementsByTagName("skipped").getLength() > 0 ? "skipped" : "passed";
            verdicts.merge(verdict, 1, Integer::sum);
        }
        assertThat(packages).containsExactly("uds-interop");
        List<String> combinations = Combination.group(results).keySet().stream()
                .map(k -> k.label().replace("v1.2", "v1_2")).toList();
        assertThat(classes).containsExactlyElementsOf(combinations).contains("java / nc / unix / local");
        Summary summary = report.summary();
        assertThat(verdicts).containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of(
                "failed", summary.failed(),
                "passed", summary.passed(),
                "skipped", summary.skipped() + summary.expectedFailure())));
        // Reporters that read the suites' counts instead of the cases see the same numbers.
        for (Element suite : elements(xml.getElementsByTagName("testsuite"))) {
            List<Element> cases = elements(suite.getElementsByTagName("testcase"));
            assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(cases.size()));
            assertThat(suite.getAttribute("skipped")).as(suite.getAttribute("name")).isEqualTo(String.valueOf(
                    cases.stream().filter(c -> c.getElementsByTagName("skipped").getLength() > 0).count()));
            assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(
                    cases.stream().filter(c -> c.getElementsByTagName("failure").getLength() > 0).count()));
        }
    }

    /** A result that failed and then passed on a retry, as Surefire's rerunFailingTestsCount reports a flaky test. */
    @Test
    void aFlakyResultIsAPassWithItsFailedRunAsSurefireWritesIt() throws Exception {
        List<CaseResult> results = new ArrayList<>(SampleReport.build().results());
        results.add(new CaseResult("java", "nc", "unix", "local", "echo.flaky", Status.FLAKY, 40, 5L, 5L,
                SampleReport.MISMATCH, null, 3));
        Document xml = write(SampleReport.of(results));

        Element testCase = elements(xml.getElementsByTagName("testcase")).stream()
                .filter(c -> c.getAttribute("name").equals("echo.flaky")).findFirst().orElseThrow();
        // every reporter's verdict: passed (no failure, error or skipped child)
        for (String verdict : List.of("failure", "error", "skipped")) {
            assertThat(testCase.getElementsByTagName(verdict).getLength()).as(verdict).isZero();
        }
        List<Element> flaky = elements(testCase.getElementsByTagName("flakyFailure"));
        assertThat(flaky).hasSize(1);
        assertThat(flaky.getFirst().getAttribute("message")).isEqualTo(SampleReport.MISMATCH.message());
        assertThat(flaky.getFirst().getAttribute("type")).isNotEmpty();
        Element stackTrace = (Element) flaky.getFirst().getElementsByTagName("stackTrace").item(0);
        assertThat(stackTrace.getTextContent()).contains("first differing offset: 4096");
        assertThat(flaky.getFirst().getElementsByTagName("system-out").item(0).getTextContent()).contains("3 runs");
        Element suite = (Element) testCase.getParentNode();
        assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(
                elements(suite.getElementsByTagName("failure")).size()));
    }

    private Document write(Report report) throws Exception {
        Path file = dir.resolve("junit.xml");
        JunitXmlReport.write(report, file);
        return parse(file);
    }

    private static Document parse(Path file) throws Exception {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }
}
