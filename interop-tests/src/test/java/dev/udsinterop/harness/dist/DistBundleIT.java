// SPDX-License-Identifier: Apache-2.0
// DistBundleIT: the release bundle made from this build, unpacked elsewhere, runs check, run, merge and server from its own files.
package dev.udsinterop.harness.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takes the bundle of {@link TestBundle} (dist/make-bundle, what {@code ./uds-interop dist} runs after its build),
 * checks its .sha256, unpacks it with tar into a directory of its own and runs its launcher there, with no uds.home and no
 * path into the checkout. fresh-machine proves the rest (a machine without Maven, Go, nc or socat): the dist commit says how.
 */
class DistBundleIT {
    private static final long DEADLINE_SECONDS = 180;
    private static final String SOCAT = "socat -t 30 UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat";

    @TempDir
    static Path work;
    static Path bundle;
    static Path unpacked;

    private record Outcome(int status, String output) {
    }

    @BeforeAll
    static void makeAndUnpack() throws Exception {
        bundle = TestBundle.tarball();
        unpacked = Files.createDirectories(work.resolve("elsewhere"));
        Outcome tar = run(unpacked, Map.of(), "tar", "xzf", bundle.toString());
        assertThat(tar.status()).as(tar.output()).isZero();
    }

    @Test
    void theBundleIsNamedByVersionWithItsChecksumAndHoldsWhatTheCommandsRun() throws Exception {
        String version = System.getProperty("uds.version");
        assertThat(bundle.getFileName()).hasToString("uds-interop-" + version + "-linux-amd64.tar.gz");
        Outcome sum = run(bundle.getParent(), Map.of(), "sha256sum", "-c", bundle.getFileName() + ".sha256");
        assertThat(sum.status()).as(sum.output()).isZero();
        Path root = root();
        assertThat(root.resolve("bin/uds-interop")).isExecutable();
        assertThat(root.resolve("fixtures/manifest.json")).isRegularFile();
        assertThat(root.resolve("help/check.txt")).isRegularFile();
        assertThat(root.resolve("java-server/target/uds-echo-server.jar")).isRegularFile();
        assertThat(root.resolve("interop-tests/target/uds-interop-harness.jar")).isRegularFile();
        for (String program : List.of("interop-client", "echo-server", "seed-server", "mutant-server")) {
            assertThat(root.resolve("go-reference/target/bin").resolve(program)).isExecutable();
        }
        // The other clients: the Python and Node.js ones run from their scripts, the Rust one built.
        assertThat(root.resolve("polyglot/python/interop_client.py")).isRegularFile();
        assertThat(root.resolve("polyglot/node/interop-client.js")).isRegularFile();
        assertThat(root.resolve("polyglot/target/bin/interop-client")).isExecutable();
        // The servers of the matrix beyond Java and Go: Python's and Node.js's as scripts, Rust's and C's built.
        assertThat(root.resolve("polyglot/python/echo_server.py")).isRegularFile();
        assertThat(root.resolve("polyglot/node/echo-server.js")).isRegularFile();
        assertThat(root.resolve("polyglot/target/bin/echo-server")).isExecutable();
        assertThat(root.resolve("c-server/target/epoll-echo")).isExecutable();
        Outcome v = launcher("--version");
        assertThat(v.status()).isZero();
        assertThat(v.output()).matches("uds-interop " + version.replace(".", "\\.") + " \\(git ([0-9a-f]{40}(-dirty)?|unknown)\\)\n");
    }

    @Test
    void checkRunAndMergeWorkFromTheUnpackedBundle() throws Exception {
        Path reports = work.resolve("reports");
        Outcome check = launcher("check", "--server-cmd", SOCAT, "--clients", "java,go-interop",
                "--cases", "echo.hello,echo.size.64k", "--out", reports.resolve("check").toString());
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(reports.resolve("check/report.json")).isRegularFile();

        Outcome run = launcher("run", "--runtime", "local", "--client", "java,go-interop", "--cases", "echo.hello",
                "--out", reports.resolve("run").toString());
        assertThat(run.status()).as(run.output()).isZero();
        // Every server of the matrix runs from the bundle (python3 and node are on this machine's PATH).
        for (String server : List.of("java", "go-echo", "go-seed", "python", "node", "rust", "c-epoll")) {
            assertThat(run.output()).as(run.output()).containsPattern("\\] " + server + " / java / unix / local +\\d+ passed");
        }
        assertThat(run.output()).doesNotContain("not installed");

        Outcome merge = launcher("merge", reports.resolve("check/report.json").toString(),
                "--out", reports.resolve("merged").toString());
        assertThat(merge.status()).as(merge.output()).isZero();
        assertThat(reports.resolve("merged/report.html")).isRegularFile();
    }

    @Test
    void serverAnswersItsHelpFromTheBundle() throws Exception {
        Outcome help = launcher("server", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.output()).isEqualTo(Files.readString(root().resolve("help/server.txt")));
    }

    /**
     * A bundle has no ./uds-interop setup or build: what it says of a missing client names the package to install (seen:
     * 'nc is not installed: run ./uds-interop setup', on a machine without nc), and so of a missing server's interpreter
     * (seen: the Python and Node.js servers failed with 'Cannot run program "python3"'). Its completion offers no setup
     * either.
     */
    @Test
    void whatIsMissingHereIsNamedByItsPackageNeverByTheCheckoutsSetup() throws Exception {
        Path bin = Files.createDirectories(work.resolve("path-without-nc-and-socat"));
        for (String tool : List.of("bash", "dirname", "readlink", "awk", "ls", "sort", "cat", "env")) {
            Files.createSymbolicLink(bin.resolve(tool), onPath(tool));
        }
        Map<String, String> environment = new HashMap<>(Map.of("PATH", bin.toString()));
        environment.put("CI", null); // a skipped client is allowed, so that the run goes on and reports it
        Path reports = work.resolve("reports/missing");
        Outcome check = launcher(environment, "check", "--server-cmd",
                root().resolve("go-reference/target/bin/echo-server") + " --unix {unix}", "--clients", "nc,java",
                "--cases", "echo.hello", "--out", reports.toString());
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("nc is not installed: apt-get install netcat-openbsd")
                .doesNotContain("uds-interop setup").doesNotContain("uds-interop build");
        assertThat(Files.readString(reports.resolve("report.json"))).contains("apt-get install netcat-openbsd")
                .doesNotContain("uds-interop setup");

        // The Python and Node.js servers without python3 and node: named up front, their cases skipped, the others run.
        Path runReports = work.resolve("reports/missing-servers");
        Outcome run = launcher(environment, "run", "--runtime", "local", "--client", "java", "--transport", "unix",
                "--cases", "echo.hello", "--out", runReports.toString());
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output()).contains("servers not installed here: python3 (apt-get install python3), node (apt-get "
                + "install nodejs); their cases are skipped (install them, or leave them out with --server "
                + "java,go-echo,go-seed,rust,c-epoll)").doesNotContain("uds-interop setup");
        assertThat(Files.readString(runReports.resolve("report.json"))).contains("python3 is not installed: apt-get install "
                + "python3").contains("node is not installed: apt-get install nodejs").doesNotContain("uds-interop setup");

        Outcome completion = launcher("completion", "bash");
        assertThat(completion.status()).as(completion.output()).isZero();
        assertThat(completion.output()).contains("check").doesNotContainPattern("\\b(setup|build|test|dist)\\b");
    }

    private static Path onPath(String program) {
        return java.util.Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, program))
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(program + " is not on PATH"));
    }

    private static Path root() {
        return unpacked.resolve("uds-interop-" + System.getProperty("uds.version"));
    }

    /** Runs the unpacked launcher from a directory outside the bundle and the checkout, with this JVM's Java. */
    private static Outcome launcher(String... args) throws IOException, InterruptedException {
        return launcher(Map.of(), args);
    }

    /** The same with {@code environment} over the inherited one (a null value removes the variable). */
    private static Outcome launcher(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root().resolve("bin/uds-interop").toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(environment);
        all.put("JAVA_HOME", System.getProperty("java.home"));
        return run(work, all, command.toArray(String[]::new));
    }

    /** Runs {@code command} in {@code dir}, stdin from /dev/null, both streams into one; killed after the deadline. */
    private static Outcome run(Path dir, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "command-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process p = builder.start();
        try {
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(List.of(command) + " still running after " + DEADLINE_SECONDS + " s:\n"
                        + Files.readString(log));
            }
            return new Outcome(p.exitValue(), Files.readString(log));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
