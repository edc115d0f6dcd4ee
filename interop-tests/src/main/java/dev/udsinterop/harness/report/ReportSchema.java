// SPDX-License-Identifier: Apache-2.0
// ReportSchema: report.schema.json, loaded once, and the check that a report's JSON follows it.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.json.JsonSchema;
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

    private static final JsonSchema SCHEMA = JsonSchema.resource(ReportSchema.class, RESOURCE);

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
        return SCHEMA.validate(report);
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
}
