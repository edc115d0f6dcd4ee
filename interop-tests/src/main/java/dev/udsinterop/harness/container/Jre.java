// SPDX-License-Identifier: Apache-2.0
// Jre: a runtime image of only the JDK modules a jar needs (jdeps), made with this JVM's jlink, for the Java images.
package dev.udsinterop.harness.container;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

/**
 * {@code jlink} of the JDK the harness runs on, with the modules {@code jdeps
 * --print-module-deps} finds in a jar plus any named. For the server's jar that is
 * java.base, java.logging (its log) and jdk.unsupported (sun.misc.Signal); stripped and
 * compressed about 45 MB, made in a few seconds.
 */
final class Jre {
    private Jre() {
    }

    /** Returns what decides the JRE's bytes besides the jar (which the image hash covers): the JDK and the extra modules. */
    static String recipe(String modules) {
        return "jlink jdeps+" + modules + " of " + System.getProperty("java.home") + " " + Runtime.version();
    }

    /** Links the modules {@code jar} needs (none if null) plus {@code modules} (comma-separated) into {@code output}. */
    static void link(Path jar, String modules, Path output) {
        String needed = jar == null ? "" : run("jdeps", "--print-module-deps", "--ignore-missing-deps", "--multi-release",
                Integer.toString(Runtime.version().feature()), jar.toString()).strip();
        String all = needed.isEmpty() ? modules : needed + "," + modules;
        run("jlink", "--add-modules", all, "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6",
                "--output", output.toString());
    }

    private static String run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new ContainerException(tool
                + ": not in this Java runtime (" + System.getProperty("java.home") + "); the harness must run on a "
                + "JDK to build the Java images"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = provider.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        if (status != 0) {
            throw new ContainerException(tool + " " + String.join(" ", args) + ": exit status " + status + ": "
                    + (err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)).strip());
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
