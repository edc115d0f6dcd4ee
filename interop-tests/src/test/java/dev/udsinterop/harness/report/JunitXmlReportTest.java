// SPDX-License-Identifier: Apache-2.0
// JunitXmlReportTest: junit.xml parses, has a suite per combination, and maps each status as CI systems expect.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(root.getAttribute("skipped")).isEqualTo("6");
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
        assertThat(xml.getElementsByTagName("skipped").getLength()).isEqualTo(6);
        List<Element> outs = elements(xml.getElementsByTagName("system-out"));
        assertThat(outs).hasSize(15).allSatisfy(out -> assertThat(out.getTextContent())
                .startsWith("expected failure: " + SampleReport.SEED_REASON + "; read seed "));
        assertThat(elements(xml.getElementsByTagName("skipped")))
                .allSatisfy(s -> assertThat(s.getAttribute("message")).isEqualTo("nc cannot pace its writes"));
    }

    @Test
    void aFailureCarriesItsMessageAndEvidence() throws Exception {
        Document xml = write(SampleReport.build());

        Element testCase = elements(xml.getElementsByTagName("testcase")).stream()
                .filter(c -> c.getAttribute("classname").equals("uds-interop.java.go.unix.local")
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
