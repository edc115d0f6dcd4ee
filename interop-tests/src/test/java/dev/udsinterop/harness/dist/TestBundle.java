// SPDX-License-Identifier: Apache-2.0
// TestBundle: the release bundle of this build, made once per test JVM by dist/make-bundle, for the ITs that unpack it.
package dev.udsinterop.harness.dist;

import dev.udsinterop.harness.host.DirectoryTree;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes the bundle with dist/make-bundle, as {@code ./uds-interop dist} does after its build; removed when the JVM exits. */
final class TestBundle {
    private static final long DEADLINE_SECONDS = 300;
    private static Path tarball;

    private TestBundle() {
    }

    /** Returns the bundle's .tar.gz (its .sha256 beside it), made on the first call. */
    static synchronized Path tarball() throws IOException, InterruptedException {
        if (tarball == null) {
            Path home = Path.of(System.getProperty("uds.home"));
            Path out = Files.createTempDirectory("uds-interop-dist-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> DirectoryTree.delete(out)));
            Path log = out.resolve("make-bundle.log");
            Process p = new ProcessBuilder("bash", home.resolve("dist/make-bundle").toString(), home.toString(),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), out.resolve("dist").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new AssertionError("make-bundle failed or outlived " + DEADLINE_SECONDS + " s:\n" + Files.readString(log));
                }
            } finally {
                p.destroyForcibly();
            }
            tarball = Path.of(Files.readAllLines(log).getLast());
        }
        return tarball;
    }
}
