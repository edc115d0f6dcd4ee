// SPDX-License-Identifier: Apache-2.0
// ReportFiles: writes a run's three report files (report.json, report.html, junit.xml) into one directory.
package dev.udsinterop.harness.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes every form of a {@link Report}: the JSON for tools, the HTML for people, the JUnit XML for CI. */
public final class ReportFiles {

    /** The names of the files {@link #writeAll} writes, in that order. */
    public static final List<String> FILE_NAMES =
            List.of(JsonReport.FILE_NAME, HtmlReport.FILE_NAME, JunitXmlReport.FILE_NAME);

    private ReportFiles() {
    }

    /**
     * Writes {@code report} into {@code dir} as {@value JsonReport#FILE_NAME}, {@value HtmlReport#FILE_NAME} and
     * {@value JunitXmlReport#FILE_NAME}, replacing files of those names. The JSON comes first: it is checked
     * against the schema, and nothing is written for a report that fails the check.
     *
     * @param report the report; not null
     * @param dir the directory, created with its parents when missing
     * @return the paths written, in that order
     * @throws IllegalStateException when the report does not match its schema (a bug in whoever built it)
     * @throws IOException when a file cannot be written
     */
    public static List<Path> writeAll(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(JsonReport.FILE_NAME);
        Path html = dir.resolve(HtmlReport.FILE_NAME);
        Path junit = dir.resolve(JunitXmlReport.FILE_NAME);
        JsonReport.write(report, json);
        HtmlReport.write(report, html);
        JunitXmlReport.write(report, junit);
        return List.of(json, html, junit);
    }
}
