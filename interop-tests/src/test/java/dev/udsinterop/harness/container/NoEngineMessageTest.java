// SPDX-License-Identifier: Apache-2.0
// NoEngineMessageTest: the line run prints when no Docker engine answers is one clean line, without parentheses in parentheses.
package dev.udsinterop.harness.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.host.Remedy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** As {@code run} prints it: "container runtimes skipped: Docker is not available: " and the reason. */
class NoEngineMessageTest {
    @ParameterizedTest(name = "bundle={0}")
    @ValueSource(booleans = {true, false})
    void isOneLineWithoutNestedParentheses(boolean bundle) {
        String line = "container runtimes skipped: Docker is not available: "
                + Docker.noEngine("/var/run/docker.sock", Remedy.dockerEngine(bundle));
        assertThat(line).doesNotContain("\n").contains("/var/run/docker.sock").endsWith(Remedy.dockerEngine(bundle));
        int depth = 0;
        for (char c : line.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            assertThat(depth).as(line).isBetween(0, 1);
        }
        assertThat(depth).as(line).isZero();
        assertThat(line).as("a bundle has no ./uds-interop setup").satisfies(l -> {
            if (bundle) {
                assertThat(l).doesNotContain("uds-interop setup").contains("apt-get install docker.io");
            }
        });
    }
}
