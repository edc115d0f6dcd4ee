// SPDX-License-Identifier: Apache-2.0
// Json: the two ObjectMappers for everything but the report formats: strict for our own files, lenient for other programs' output.
package dev.udsinterop.harness.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The harness's JSON readers and writers, configured once. The report formats (report.json, bench.json) keep
 * their own configured mapper beside their schema, as the format's specification. This class uses only
 * jackson-databind: the client agent runs it in a container whose classpath has nothing else.
 */
public final class Json {
    /**
     * For the files this project writes by hand (the manifest, the expected failures): a misspelt field is an
     * error, not a default.
     */
    public static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * For what other programs print (loadgen, soak-client, interop-client, the client agent) and for peeking into
     * a file: a field the harness does not read is no error.
     */
    public static final ObjectMapper LENIENT = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }
}
