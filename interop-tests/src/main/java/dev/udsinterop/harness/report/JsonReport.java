// SPDX-License-Identifier: Apache-2.0
// JsonReport: report.json: the Jackson configuration of the format, and writing (schema-checked) and reading it.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The JSON form of a {@link Report}, as specified by {@code report.schema.json}: instants as ISO-8601
 * strings, properties in the records' declared order, null properties left out, indented two spaces.
 */
public final class JsonReport {

    /** The file name {@link ReportFiles} gives the JSON report. */
    public static final String FILE_NAME = "report.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // The format is the records' components, not helpers like Summary.isOk(); the schema catches the rest.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            // The schema forbids unknown properties; reading is as strict, so a merge never drops data silently.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .defaultPrettyPrinter(prettyPrinter())
            .build();

    private JsonReport() {
    }

    /**
     * Returns the JSON tree of {@code report}, exactly as {@link #write} would write it, unchecked.
     *
     * @param report the report; not null
     */
    public static JsonNode toJson(Report report) {
        return MAPPER.valueToTree(Objects.requireNonNull(report, "report"));
    }

    /**
     * Writes {@code report} to {@code file} as UTF-8 JSON, replacing the file. The report is checked against
     * the schema first, and nothing is written when it does not match.
     *
     * @param report the report; not null
     * @param file the file to write; its directory must exist
     * @throws IllegalStateException when the report does not match the schema: a bug in whoever built it
     * @throws IOException when the file cannot be written
     */
    public static void write(Report report, Path file) throws IOException {
        JsonNode json = toJson(report);
        ReportSchema.check(json);
        try (OutputStream out = Files.newOutputStream(file)) {
            MAPPER.writeValue(out, json);
        }
    }

    /**
     * Reads a report written by {@link #write}, e.g. to merge the reports of several runs.
     *
     * @param file a {@code report.json}
     * @return the report
     * @throws IOException when the file cannot be read, is not JSON, or does not match the schema (the
     *     message lists the violations)
     */
    public static Report read(Path file) throws IOException {
        JsonNode json;
        try (var in = Files.newInputStream(file)) {
            json = MAPPER.readTree(in);
        }
        if (json == null || json.isMissingNode()) {
            throw new IOException(file + " is empty");
        }
        List<String> violations = ReportSchema.validate(json);
        if (!violations.isEmpty()) {
            throw new IOException(file + " does not match " + ReportSchema.RESOURCE + ":\n  "
                    + String.join("\n  ", violations));
        }
        return MAPPER.treeToValue(json, Report.class);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        // One array element a line, and "key": value, so that diffs between two reports stay line-sized.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        return new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }
}
