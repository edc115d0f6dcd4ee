// SPDX-License-Identifier: Apache-2.0
// ReportSchemaTest: report.schema.json accepts what JsonReport writes and names the field of each kind of mistake.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.udsinterop.harness.verdict.FailureKind;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportSchemaTest {

    @Test
    void theSampleAsJsonReportWritesItIsValid() {
        assertThat(ReportSchema.validate(JsonReport.toJson(SampleReport.build()))).isEmpty();
    }

    @Test
    void aReportWithoutResultsOrTimingsIsValid() {
        Report empty = new Report(Report.SCHEMA_VERSION, "empty", SampleReport.build().startedAt(),
                SampleReport.build().finishedAt(), SampleReport.environment(), List.of(), List.of(),
                Summary.of(List.of()));
        assertThat(ReportSchema.validate(JsonReport.toJson(empty))).isEmpty();
    }

    @Test
    void everyFailureKindIsOneTheSchemaAccepts() {
        for (FailureKind kind : FailureKind.values()) {
            JsonNode json = JsonReport.toJson(SampleReport.build());
            failure(json, mismatch(json)).put("kind", kind.id());
            assertThat(ReportSchema.validate(json)).as(kind.id()).isEmpty();
        }
    }

    static Stream<Arguments> brokenReports() {
        int m = mismatch(JsonReport.toJson(SampleReport.build()));
        int e = firstExpected(JsonReport.toJson(SampleReport.build()));
        return Stream.of(
                broken("status weird", json -> result(json, 0).put("status", "weird"), "/results/0/status"),
                broken("durationMs missing", json -> result(json, 0).remove("durationMs"), "durationMs"),
                broken("durationMs negative", json -> result(json, 1).put("durationMs", -1), "/results/1/durationMs"),
                broken("extra property", json -> result(json, 2).put("colour", "red"), "colour"),
                broken("misspelt summary count", json -> ((ObjectNode) json.get("summary")).set("expectedFailure",
                        ((ObjectNode) json.get("summary")).remove("expected-failure")), "expectedFailure"),
                broken("sha256 too short", json -> failure(json, m).put("expectedSha256", "abc123"),
                        "/results/" + m + "/failure/expectedSha256"),
                broken("sha256 upper case", json -> failure(json, m).put("actualSha256",
                        SampleReport.MISMATCH.actualSha256().toUpperCase()), "actualSha256"),
                broken("hex not hex", json -> failure(json, m).put("actualHex", "0g 10"), "actualHex"),
                broken("failed without failure", json -> result(json, m).remove("failure"), "failure"),
                broken("expected-failure without reason", json -> result(json, e)
                        .remove("expectedFailure"), "expectedFailure"),
                broken("failure without message", json -> failure(json, m).remove("message"), "message"),
                broken("schemaVersion 2", json -> ((ObjectNode) json).put("schemaVersion", 2), "/schemaVersion"),
                broken("startedAt a number", json -> ((ObjectNode) json).put("startedAt", 1746100800123L), "/startedAt"),
                broken("finishedAt not a date-time", json -> ((ObjectNode) json).put("finishedAt", "yesterday"),
                        "/finishedAt"),
                broken("transport udp", json -> result(json, 0).put("transport", "udp"), "/results/0/transport"),
                broken("environment field missing", json -> ((ObjectNode) json.get("environment")).remove("socat"),
                        "socat"),
                broken("timing without samples", json -> ((ObjectNode) json.get("timings").get(0)).put("samples", 0),
                        "/timings/0/samples"),
                broken("timing p99 missing", json -> ((ObjectNode) json.get("timings").get(1)).remove("p99"), "p99"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReports")
    void eachBrokenVariantHasAViolationNamingTheField(String name, Consumer<JsonNode> breakIt, String field) {
        JsonNode json = JsonReport.toJson(SampleReport.build());
        breakIt.accept(json);

        List<String> violations = ReportSchema.validate(json);

        assertThat(violations).as(name).isNotEmpty().anySatisfy(v -> assertThat(v).contains(field));
    }

    @Test
    void checkThrowsListingEveryViolation() {
        JsonNode json = JsonReport.toJson(SampleReport.build());
        result(json, 0).put("status", "weird");
        ((ObjectNode) json).put("schemaVersion", 2);

        assertThatThrownBy(() -> ReportSchema.check(json))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/results/0/status")
                .hasMessageContaining("/schemaVersion");
    }

    @Test
    void checkAcceptsTheSample() {
        ReportSchema.check(JsonReport.toJson(SampleReport.build()));
    }

    private static Arguments broken(String name, Consumer<JsonNode> breakIt, String field) {
        return Arguments.of(name, breakIt, field);
    }

    private static ObjectNode result(JsonNode json, int index) {
        return (ObjectNode) json.get("results").get(index);
    }

    private static ObjectNode failure(JsonNode json, int index) {
        return (ObjectNode) json.get("results").get(index).get("failure");
    }

    /** Returns the index of the result with the byte-mismatch evidence. */
    private static int mismatch(JsonNode json) {
        ArrayNode results = (ArrayNode) json.get("results");
        return IntStream.range(0, results.size())
                .filter(i -> results.get(i).path("failure").has("expectedSha256"))
                .findFirst().orElseThrow();
    }

    private static int firstExpected(JsonNode json) {
        ArrayNode results = (ArrayNode) json.get("results");
        return IntStream.range(0, results.size())
                .filter(i -> results.get(i).get("status").asText().equals("expected-failure"))
                .findFirst().orElseThrow();
    }
}
