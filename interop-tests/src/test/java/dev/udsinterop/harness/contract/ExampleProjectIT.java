// SPDX-License-Identifier: Apache-2.0
// ExampleProjectIT: examples/junit-contract, a user's project, built and tested by Maven against this build's jar installed
// into a temporary local repository: the user's path to the JUnit contract, proven on every build.
package dev.udsinterop.harness.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the parent pom and this module's jar (the one coordinate {@code dev.udsinterop:uds-interop-junit}) with
 * maven-install-plugin into an empty local repository, copies the example project out of the checkout, and runs
 * {@code mvn test} there without {@code uds.home}. Every other artifact comes from the build's own local repository
 * (a file:// repository ahead of Central), so where the build has run nothing is downloaded but what it never
 * needed itself (on a fresh machine: maven-install-plugin).
 */
class ExampleProjectIT {
    private static final long MAVEN_MINUTES = 5;
    private static final Pattern COUNTS = Pattern.compile(
            "Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)\\s*$", Pattern.MULTILINE);

    @TempDir
    Path work;

    @Test
    void theExampleProjectPassesAgainstTheInstalledArtifact() throws Exception {
        Path home = Path.of(System.getProperty("uds.home"));
        Path jar = Path.of(System.getProperty("uds.junit.jar"));
        Path repository = work.resolve("repository");
        Path settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <localRepository>%1$s</localRepository>
                  <profiles>
                    <profile>
                      <id>build-repository</id>
                      <repositories>
                        <repository><id>build-repository</id><url>%2$s</url></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>build-repository</id><url>%2$s</url></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, Path.of(System.getProperty("uds.m2.repository")).toUri()));
        // The build's own repository comes first, so nothing is downloaded where the build has run; Central stays
        // behind it for what a plain 'mvn verify' never resolved (maven-install-plugin: an empty ~/.m2 on a fresh
        // machine had everything but that). uds-interop-junit itself exists only in the empty repository above.
        String install = "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file";
        maven(home, settings, install, "-Dfile=" + home.resolve("pom.xml"), "-DpomFile=" + home.resolve("pom.xml"));
        maven(home, settings, install, "-Dfile=" + jar, "-DpomFile=" + home.resolve("interop-tests/pom.xml"));
        assertThat(repository.resolve("dev/udsinterop/uds-interop-junit/" + System.getProperty("uds.version")))
                .isDirectoryContaining("glob:**/uds-interop-junit-*.jar");

        Path example = work.resolve("junit-contract");
        copy(home.resolve("examples/junit-contract"), example);
        String output = maven(example, settings, "test", "-Duds-interop.version=" + System.getProperty("uds.version"));

        Matcher totals = COUNTS.matcher(output);
        String last = null;
        while (totals.find()) {
            last = totals.group();
        }
        assertThat(last).as("surefire's totals in:\n%s", output).isNotNull();
        Matcher m = COUNTS.matcher(last);
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("tests run").isGreaterThan(0);
        assertThat(m.group(2) + "/" + m.group(3)).as("failures/errors").isEqualTo("0/0");
        try (Stream<Path> reports = Files.list(example.resolve("target/surefire-reports"))) {
            String xml = Files.readString(reports.filter(p -> p.toString().endsWith(".xml")).findFirst().orElseThrow());
            assertThat(xml).contains("java / unix / echo.empty").contains("nc / unix / echo.size.16m")
                    .contains("java / unix / lifecycle.sigterm");
        }
    }

    /** Runs Maven in {@code dir} with {@code settings}; returns its output, or fails with it when Maven does. */
    private String maven(Path dir, Path settings, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-ntp", "-s", settings.toString()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(work, "maven-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process maven = builder.start();
        try {
            boolean ended = maven.waitFor(MAVEN_MINUTES, TimeUnit.MINUTES);
            String output = Files.readString(log);
            assertThat(ended).as("%s ended within %d min; output:\n%s", command, MAVEN_MINUTES, output).isTrue();
            assertThat(maven.exitValue()).as("exit status of %s; output:\n%s", command, output).isZero();
            return output;
        } finally {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
