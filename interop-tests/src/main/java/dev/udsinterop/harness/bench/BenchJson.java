// SPDX-License-Identifier: Apache-2.0
// BenchJson: bench.json: writing it (checked against bench.schema.json first) and reading it back (for --baseline).
package dev.udsinterop.harness.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.udsinterop.harness.json.JsonSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON form of a {@link BenchReport}, as {@code bench.schema.json} beside this class specifies it. Every
 * report is checked against the schema when written and when read, as report.json is. A report of schema 1
 * (before the container rows) is read as one whose every figure is local, so that {@code --baseline} compares
 * with runs made before them.
 */
final class BenchJson {
    static final String FILE_NAME = "bench.json";
    static final String SCHEMA = "bench.schema.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final JsonSchema VALIDATOR = JsonSchema.resource(BenchJson.class, SCHEMA);

    private BenchJson() {
    }

    static JsonNode toJson(BenchReport report) {
        return MAPPER.valueToTree(report);
    }

    /** Returns one line per schema violation of {@code json}, {@code location: message}; empty when valid. */
    static List<String> validate(JsonNode json) {
        return VALIDATOR.validate(json);
    }

    /**
     * Writes {@code report} to {@code file}, after checking it against the schema.
     *
     * @throws IllegalStateException listing the violations when the report does not match: a harness bug
     */
    static void write(BenchReport report, Path file) throws IOException {
        JsonNode json = toJson(report);
        List<String> violations = validate(json);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("bench report does not match " + SCHEMA + ":\n  " + String.join("\n  ", violations));
        }
        MAPPER.writeValue(file.toFile(), json);
    }

    /**
     * Reads a bench.json written by {@link #write}, or by the harness of schema 1 (see {@link #upgrade}).
     *
     * @throws IOException when it cannot be read, is not JSON or does not match the schema (the message says why)
     */
    static BenchReport read(Path file) throws IOException {
        JsonNode json;
        try (InputStream in = Files.newInputStream(file)) {
            json = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IOException("read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (json == null || json.isMissingNode()) {
            throw new IOException("read " + file + ": empty");
        }
        upgrade(json);
        List<String> violations = validate(json);
        if (!violations.isEmpty()) {
            throw new IOException("read " + file + ": does not match " + SCHEMA + ": " + String.join("; ", violations));
        }
        return MAPPER.treeToValue(json, BenchReport.class);
    }

    /**
     * Turns a report of schema 1 into schema 2 in place: every measurement, figure, ratio, headline line and skip
     * gets runtime local, the loadgen arguments move under local. Anything else is left for the validator.
     */
    static void upgrade(JsonNode json) {
        if (!(json instanceof ObjectNode report) || report.path("schemaVersion").asInt() != 1) {
            return;
        }
        for (String list : List.of("headline", "cells", "serverRatios", "transportRatios", "measurements", "skipped")) {
            for (JsonNode item : report.path(list)) {
                if (item instanceof ObjectNode o && !o.has("runtime")) {
                    o.put("runtime", BenchReport.LOCAL);
                }
            }
        }
        if (report.get("method") instanceof ObjectNode method && method.get("loadgenArguments") instanceof ObjectNode args) {
            method.putObject("loadgenArguments").set(BenchReport.LOCAL, args);
            method.putArray("runtimes").add(BenchReport.LOCAL);
        }
        report.put("schemaVersion", BenchReport.SCHEMA_VERSION);
    }
}
