// SPDX-License-Identifier: Apache-2.0
// ReportSchema: report.schema.json, loaded once, and the check that a report's JSON follows it.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The JSON Schema of {@code report.json} (draft 2020-12), read from {@code report.schema.json} on the
 * classpath beside this class. The schema is the documentation of the format, so the writer checks every
 * report against it: a report that does not follow its own schema is a bug in the harness.
 */
public final class ReportSchema {

    /** The name of the schema resource, relative to this class. */
    public static final String RESOURCE = "report.schema.json";

    private static final Schema SCHEMA = load();

    private ReportSchema() {
    }

    /**
     * Validates {@code report}, the JSON form of a {@link Report}.
     *
     * @param report the JSON tree to check; not null
     * @return one line per violation, {@code instance-location: message} (the location a JSON pointer, e.g.
     *     {@code /results/3/status}), in the validator's order; empty when the report is valid
     */
    public static List<String> validate(JsonNode report) {
        Objects.requireNonNull(report, "report");
        return SCHEMA.validate(report).stream().map(ReportSchema::describe).toList();
    }

    /**
     * Checks {@code report} against the schema.
     *
     * @param report the JSON tree to check; not null
     * @throws IllegalStateException listing every violation, one a line, when the report is not valid
     */
    public static void check(JsonNode report) {
        List<String> violations = validate(report);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("report does not match " + RESOURCE + " (" + violations.size()
                    + " violation" + (violations.size() == 1 ? "" : "s") + "):\n  "
                    + String.join("\n  ", violations));
        }
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation().toString();
        return (location.isEmpty() ? "/" : location) + ": " + error.getMessage();
    }

    private static Schema load() {
        // Draft 2020-12 treats "format" as an annotation only; assert it, so that startedAt is really a date-time.
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        try (InputStream in = ReportSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath beside "
                        + ReportSchema.class.getName());
            }
            Schema schema = registry.getSchema(in, InputFormat.JSON);
            // Resolve every $ref now, so a broken schema fails here and not in the middle of a run.
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
