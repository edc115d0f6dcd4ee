// SPDX-License-Identifier: Apache-2.0
// JsonSchema: a JSON Schema (draft 2020-12) loaded once, with its format assertions on, and its violations as lines.
package dev.udsinterop.harness.json;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The one way the harness reads a schema: report.schema.json and bench.schema.json beside their writers, the
 * manifest's schema beside the manifest. Every {@code $ref} is resolved when the schema is loaded, so a broken
 * schema fails there and not in the middle of a run. Draft 2020-12 treats {@code format} as an annotation only;
 * it is asserted here, so that a {@code date-time} really is one.
 */
public final class JsonSchema {
    private final Schema schema;

    private JsonSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * Loads the schema {@code name} from the classpath beside {@code owner}.
     *
     * @throws IllegalStateException if it is not there: the build lost a resource
     */
    public static JsonSchema resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath beside " + owner.getName());
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Loads the schema in {@code file}.
     *
     * @throws IOException if it cannot be read ({@link java.nio.file.NoSuchFileException} when it is missing)
     */
    public static JsonSchema file(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    private static JsonSchema load(InputStream in) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        Schema schema = registry.getSchema(in, InputFormat.JSON);
        schema.initializeValidators();
        return new JsonSchema(schema);
    }

    /** Returns the violations of {@code document}, in the validator's order; empty when it is valid. */
    public List<Error> errors(JsonNode document) {
        return schema.validate(Objects.requireNonNull(document, "document"));
    }

    /**
     * Returns one line per violation of {@code document}, {@code location: message}, the location a JSON pointer
     * ({@code /results/3/status}, or {@code /} for the document); empty when it is valid.
     */
    public List<String> validate(JsonNode document) {
        return errors(document).stream().map(e -> {
            String at = e.getInstanceLocation().toString();
            return (at.isEmpty() ? "/" : at) + ": " + e.getMessage();
        }).toList();
    }
}
