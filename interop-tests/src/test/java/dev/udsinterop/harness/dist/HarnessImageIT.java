// SPDX-License-Identifier: Apache-2.0
// HarnessImageIT: docker run of the harness image checks a server image through the host's Docker socket and a server binary mounted in.
package dev.udsinterop.harness.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.container.Docker;
import dev.udsinterop.harness.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes the harness image from this build's bundle with dist/make-harness-image (what {@code ./uds-interop dist --image}
 * runs; built only when its inputs changed) and uses it the two documented ways, as a user does with {@code docker run}:
 * with the host's Docker socket, {@code check --server-image} of the bundled Java server's image (Docker-outside-of-
 * Docker: the harness's volumes and networks are the host engine's, the report lands in a mounted directory); and
 * {@code check --server-cmd} of a server binary mounted at /w, every client in the image. Both must exit 0 and leave
 * no container, volume or network behind. The image runs every bundled server too: {@code run} here, in the image,
 * and in their own images through the socket. Making it again removes this checkout's previous harness images. A small
 * selection of cases: the matrix suite proves the cases themselves.
 */
class HarnessImageIT {
    private static final long BUILD_SECONDS = 600;
    private static final long RUN_SECONDS = 300;
    private static final String SOCKET = "/var/run/docker.sock";
    private static final String CASES = "echo.hello-newline";
    /** Every client of the matrix: each must run in the image (in the clients image, through the socket). */
    private static final List<String> CLIENTS = List.of("go-interop", "python-interop", "node-interop", "rust-interop",
            "nc", "socat", "java");
    /** Every server of the matrix, and those of them with an image beyond the Java and Go ones (polyglot, bench-servers). */
    private static final List<String> SERVERS = List.of("java", "go-echo", "go-seed", "python", "node", "rust", "c-epoll");
    private static final List<String> IMAGED_SERVERS = List.of("python", "node", "rust", "c-epoll");

    @TempDir
    static Path work;
    static String image;

    private record Outcome(int status, String output) {
    }

    @BeforeAll
    static void makeTheImage() throws Exception {
        Outcome made = make();
        image = made.output().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(image).startsWith("uds-interop/harness:");
    }

    /** Runs dist/make-harness-image on this build's bundle; returns what it said, the image's tag last. */
    private static Outcome make() throws Exception {
        // The docker CLI is what the test and the user drive the image with: its answer decides.
        Outcome engine = run(60, "docker", "version", "--format", "{{.Server.Version}}");
        if (engine.status() != 0) {
            // A machine without an engine cannot prove the image; CI (./uds-interop test starts dockerd) must.
            assertThat(System.getenv("CI")).as("no Docker engine answers: " + engine.output()).isNotEqualToIgnoringCase("true");
            Assumptions.abort("no Docker engine answers: " + engine.output());
        }
        Path home = Path.of(System.getProperty("uds.home"));
        Outcome made = run(BUILD_SECONDS, "bash", home.resolve("dist/make-harness-image").toString(), home.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), TestBundle.tarball().toString());
        assertThat(made.status()).as(made.output()).isZero();
        return made;
    }

    /**
     * Each build of a changed input left its image (about 370 MB) beside the last: making the image removes the other
     * harness tags of this checkout (an earlier build's stands in as a second tag of this one's), and leaves the current
     * image and the images of other checkouts, whose tests may be running them.
     */
    @Test
    void makingTheImageRemovesThisCheckoutsPreviousImages() throws Exception {
        String previous = "uds-interop/harness:previous-" + ProcessHandle.current().pid();
        try {
            assertThat(run(60, "docker", "tag", image, previous).status()).isZero();
            Outcome again = make();
            assertThat(again.output()).contains("removed the previous image " + previous);
            assertThat(run(60, "docker", "image", "inspect", previous).status()).as("the previous tag").isNotZero();
            assertThat(run(60, "docker", "image", "inspect", image).status()).as("the current image").isZero();
            assertThat(lines("docker", "image", "inspect", "-f", "{{index .Config.Labels \"dev.udsinterop.harness.home\"}}",
                    image)).containsExactly(System.getProperty("uds.home"));
        } finally {
            run(60, "docker", "rmi", previous);
        }
    }

    @Test
    void runsEveryBundledServerInTheImageAndInTheirOwnImages() throws Exception {
        assertThat(environment(image, "UDS_INTEROP_IMAGE_POLYGLOT")).startsWith("uds-interop/polyglot:");
        assertThat(environment(image, "UDS_INTEROP_IMAGE_BENCH_SERVERS")).startsWith("uds-interop/bench-servers:");
        Path reports = Files.createDirectories(work.resolve("servers"));
        String name = "uds-interop-harness-it-" + ProcessHandle.current().pid() + "-servers";
        try {
            // CI=true: a server whose interpreter is missing from the image fails the run instead of being skipped.
            Outcome local = run(RUN_SECONDS, "docker", "run", "--rm", "--name", name, "-e", "CI=true",
                    "-v", reports + ":/reports", image, "run", "--runtime", "local", "--client", "java", "--transport", "unix",
                    "--cases", CASES, "--out", "/reports/local");
            assertThat(local.status()).as(local.output()).isZero();
            assertServersPassed(reports.resolve("local/report.json"), "local", SERVERS);

            // Their images, named by the harness image, through the host's engine (Docker-outside-of-Docker).
            Outcome contained = run(RUN_SECONDS, "docker", "run", "--rm", "--name", name, "-e", "CI=true",
                    "-v", SOCKET + ":" + SOCKET, "-v", reports + ":/reports", image, "run", "--runtime", "container",
                    "--server", String.join(",", IMAGED_SERVERS), "--client", "java", "--transport", "unix",
                    "--cases", CASES, "--out", "/reports/container");
            assertThat(contained.status()).as(contained.output()).isZero();
            assertServersPassed(reports.resolve("container/report.json"), "container", IMAGED_SERVERS);
        } finally {
            removeContainer(name);
        }
    }

    /** Every result of {@code report} passed on {@code runtime}, and each of {@code servers} took part. */
    private static void assertServersPassed(Path report, String runtime, List<String> servers) throws IOException {
        List<JsonNode> all = StreamSupport.stream(Json.STRICT.readTree(report.toFile()).path("results").spliterator(), false)
                .toList();
        assertThat(all).allSatisfy(r -> {
            assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("passed");
            assertThat(r.path("runtime").asText()).isEqualTo(runtime);
        });
        assertThat(all.stream().map(r -> r.path("server").asText()).distinct()).containsExactlyInAnyOrderElementsOf(servers);
    }

    @Test
    void checksTheBundledJavaServerImageThroughTheHostsDockerSocket() throws Exception {
        String serverImage = environment(image, "UDS_INTEROP_IMAGE_JAVA_SERVER");
        assertThat(serverImage).as("the image names the Java server's image").startsWith("uds-interop/java-server:");
        Path reports = Files.createDirectories(work.resolve("dood"));
        String name = "uds-interop-harness-it-" + ProcessHandle.current().pid() + "-dood";
        try {
            // The harness's pid namespace, read by the shell it becomes: what labels everything it creates.
            Outcome check = run(RUN_SECONDS, "docker", "run", "--rm", "--name", name, "-e", "CI=true",
                    "-v", SOCKET + ":" + SOCKET, "-v", reports + ":/reports", "--entrypoint", "sh", image, "-c",
                    "readlink /proc/self/ns/pid > /reports/pid-ns && exec uds-interop \"$@\"", "sh",
                    "check", "--server-image", serverImage, "--cases", CASES, "--out", "/reports/check");
            assertThat(check.status()).as(check.output()).isZero();
            assertAllPassed(reports.resolve("check/report.json"), "container", CLIENTS);
            String namespace = Files.readString(reports.resolve("pid-ns")).strip();
            assertThat(namespace).startsWith("pid:[").isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
            String label = "label=" + Docker.OWNER_NAMESPACE + "=" + namespace;
            assertThat(lines("docker", "ps", "-aq", "--filter", label)).as("containers left").isEmpty();
            assertThat(lines("docker", "volume", "ls", "-q", "--filter", label)).as("volumes left").isEmpty();
            assertThat(lines("docker", "network", "ls", "-q", "--filter", label)).as("networks left").isEmpty();
            assertThat(lines("docker", "ps", "-aq", "--filter", "name=" + name)).as("the harness's container").isEmpty();
        } finally {
            removeContainer(name);
        }
    }

    @Test
    void checksAServerBinaryMountedIn() throws Exception {
        Path bin = Files.createDirectories(work.resolve("w"));
        Files.copy(Path.of(System.getProperty("uds.home"), "go-reference/target/bin/echo-server"), bin.resolve("server"));
        Path reports = Files.createDirectories(work.resolve("mounted"));
        String name = "uds-interop-harness-it-" + ProcessHandle.current().pid() + "-mounted";
        try {
            // CI=true: a client missing from the image fails the check instead of being skipped.
            Outcome check = run(RUN_SECONDS, "docker", "run", "--rm", "--name", name, "-e", "CI=true",
                    "-v", bin + ":/w:ro", "-v", reports + ":/reports", image,
                    "check", "--server-cmd", "/w/server --unix {unix} --tcp 127.0.0.1:{port}", "--cases", CASES,
                    "--out", "/reports/check");
            assertThat(check.status()).as(check.output()).isZero();
            assertAllPassed(reports.resolve("check/report.json"), "local", CLIENTS);
            assertThat(lines("docker", "ps", "-aq", "--filter", "name=" + name)).as("the harness's container").isEmpty();
        } finally {
            removeContainer(name);
        }
    }

    /** Every result of {@code report} passed on {@code runtime}, and each of {@code clients} took part. */
    private static void assertAllPassed(Path report, String runtime, List<String> clients) throws IOException {
        JsonNode results = Json.STRICT.readTree(report.toFile()).path("results");
        assertThat(results.size()).isPositive();
        List<JsonNode> all = StreamSupport.stream(results.spliterator(), false).toList();
        assertThat(all).allSatisfy(r -> {
            assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("passed");
            assertThat(r.path("runtime").asText()).isEqualTo(runtime);
        });
        assertThat(all.stream().map(r -> r.path("client").asText()).distinct()).containsExactlyInAnyOrderElementsOf(clients);
    }

    private static String environment(String image, String variable) throws Exception {
        return lines("docker", "image", "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", image).stream()
                .filter(l -> l.startsWith(variable + "=")).map(l -> l.substring(variable.length() + 1))
                .findFirst().orElse("");
    }

    /** Removes the container {@code name} if a failure or a deadline left it (docker run's --rm did not get to). */
    private static void removeContainer(String name) throws Exception {
        run(60, "docker", "rm", "-f", "-v", name);
    }

    private static List<String> lines(String... command) throws Exception {
        Outcome o = run(60, command);
        assertThat(o.status()).as(String.join(" ", command) + ": " + o.output()).isZero();
        return o.output().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Runs {@code command}, stdin from /dev/null, both streams into one; killed after {@code seconds}. */
    private static Outcome run(long seconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "command-", ".log");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(List.of(command) + " still running after " + seconds + " s:\n" + Files.readString(log));
            }
            return new Outcome(p.exitValue(), Files.readString(log));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
