// SPDX-License-Identifier: Apache-2.0
// PrerequisiteTest: a missing prerequisite skips a test, but fails it under CI=true or -Duds.requireAll=true.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PrerequisiteTest {
    private static final String MISSING = "nc is not installed: run ./uds-interop setup";

    @Test
    void aMissingPrerequisiteSkipsOnADevelopersMachine() {
        assertThatThrownBy(() -> Prerequisite.require(false, MISSING, Map.of(), false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining(MISSING);
    }

    @Test
    void aMissingPrerequisiteFailsUnderCi() {
        assertThatThrownBy(() -> Prerequisite.require(false, MISSING, Map.of("CI", "true"), false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("%s (and every test must run under CI=true)", MISSING);
    }

    @Test
    void aMissingPrerequisiteFailsWithRequireAll() {
        assertThatThrownBy(() -> Prerequisite.require(false, MISSING, Map.of("CI", "false"), true))
                .isInstanceOf(AssertionError.class)
                .hasMessage("%s (and every test must run under -Duds.requireAll=true)", MISSING);
    }

    @Test
    void aPresentPrerequisitePassesEverywhere() {
        assertThatCode(() -> Prerequisite.require(true, MISSING, Map.of("CI", "true"), true)).doesNotThrowAnyException();
    }
}
