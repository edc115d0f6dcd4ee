// SPDX-License-Identifier: Apache-2.0
// JsonReportTest: report.json round-trips, has the documented shape, and an invalid report is refused, not written.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {

    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesAnEqualReport() throws IOException {
        Report sample = SampleReport.build();
        Path file = dir.resolve("report.json");

        JsonReport.write(sample, file);

        assertThat(JsonReport.read(file)).isEqualTo(sample);
    }

    @Test
    void instantsAreIsoStringsAndPropertiesKeepTheirDeclaredOrder() throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(SampleReport.build(), file);
        String text = Files.readString(file);

        assertThat(text).contains("\"startedAt\": \"2025-05-01T12:00:00.123456789Z\"")
                .contains("\"finishedAt\": \"2025-05-01T12:02:13.500Z\"");
        assertThat(text.indexOf("\"schemaVersion\"")).isLessThan(text.indexOf("\"runId\""));
        assertThat(text.indexOf("\"runId\"")).isLessThan(text.indexOf("\"startedAt\""));
        assertThat(text.indexOf("\"environment\"")).isLessThan(text.indexOf("\"results\""));
        assertThat(text.indexOf("\"timings\"")).isLessThan(text.indexOf("\"summary\""));
        // Within a result: the coordinates, then the case, then the verdict.
        assertThat(text.indexOf("\"runtime\"")).isLessThan(text.indexOf("\"case\""));
        assertThat(text.indexOf("\"case\"")).isLessThan(text.indexOf("\"status\""));
    }

    @Test
    void nullFieldsAndHelperMethodsAreNotWritten() throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(SampleReport.build(), file);
        String text = Files.readString(file);

        assertThat(text).doesNotContain(": null")
                .doesNotContain("\"ok\"")
                .doesNotContain("displayName")
                .contains("\"expected-failure\": 15")
                .contains("\"case\": \"echo.size.4097\"");
    }

    @Test
    void aReportThatBreaksTheSchemaIsRefusedAndNotWritten() {
        List<CaseResult> results = new ArrayList<>(SampleReport.build().results());
        results.set(0, new CaseResult("java", "nc", "udp", "local", "echo.empty", Status.PASSED, 1, null, null,
                null, null));
        Report bad = SampleReport.of(results);
        Path file = dir.resolve("report.json");

        assertThatThrownBy(() -> JsonReport.write(bad, file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/results/0/transport");
        assertThat(file).doesNotExist();
    }

    @Test
    void readRefusesAFileThatBreaksTheSchema() throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(SampleReport.build(), file);
        Files.writeString(file, Files.readString(file).replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"));

        assertThatThrownBy(() -> JsonReport.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/schemaVersion");
    }

    @Test
    void readRefusesAnEmptyFile() throws IOException {
        Path file = Files.writeString(dir.resolve("report.json"), "");

        assertThatThrownBy(() -> JsonReport.read(file)).isInstanceOf(IOException.class);
    }

    @Test
    void writeAllWritesTheThreeFilesIntoANewDirectory() throws IOException {
        Path target = dir.resolve("a/b");

        List<Path> written = ReportFiles.writeAll(SampleReport.build(), target);

        assertThat(written).containsExactly(target.resolve("report.json"), target.resolve("report.html"),
                target.resolve("junit.xml"));
        assertThat(written).allSatisfy(p -> assertThat(p).isNotEmptyFile());
    }
}
