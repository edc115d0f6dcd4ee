// SPDX-License-Identifier: Apache-2.0
// Prerequisite: what a test needs from the machine (nc, socat, root): a skip where it is missing, a failure under CI.
package dev.udsinterop.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A missing prerequisite skips the test on a developer's machine (with the reason). Under CI
 * ({@code CI=true}) or with {@code -Duds.requireAll=true}, as in the harness's SkipPolicy, it
 * fails the test instead: there a skip is a hole in the suite that a green run would hide.
 */
final class Prerequisite {
    private Prerequisite() {
    }

    /** Skips the test, or fails it where every test must run, unless {@code present}. */
    static void require(boolean present, String missing) {
        require(present, missing, System.getenv(), Boolean.getBoolean("uds.requireAll"));
    }

    static void require(boolean present, String missing, Map<String, String> environment, boolean requireAll) {
        if (present) {
            return;
        }
        String requiredBy = requireAll ? "-Duds.requireAll=true"
                : "true".equalsIgnoreCase(environment.getOrDefault("CI", "")) ? "CI=true" : null;
        if (requiredBy != null) {
            throw new AssertionError(missing + " (and every test must run under " + requiredBy + ")");
        }
        assumeTrue(false, missing);
    }

    /** Requires {@code executable} on the PATH. */
    static void requireExecutable(String executable) throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "command -v " + executable).start();
        boolean found = which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
        which.destroyForcibly();
        require(found, executable + " is not installed: run ./uds-interop setup");
    }
}
