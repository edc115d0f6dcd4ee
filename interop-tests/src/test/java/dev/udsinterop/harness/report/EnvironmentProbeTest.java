// SPDX-License-Identifier: Apache-2.0
// EnvironmentProbeTest: the probe fills every field, reads a git commit and its dirtiness, and says unknown otherwise.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentProbeTest {

    @TempDir
    Path dir;

    @Test
    void fillsEveryFieldAndSaysUnknownForTheCommitOfANonGitDirectory() {
        Environment env = EnvironmentProbe.probe(dir);

        assertThat(List.of(env.os(), env.kernel(), env.arch(), env.cpuModel(), env.jdk(), env.go(), env.netcat(),
                env.socat(), env.gitCommit())).allSatisfy(v -> assertThat(v).isNotBlank());
        assertThat(env.cpuCount()).isGreaterThanOrEqualTo(1);
        assertThat(env.os()).isEqualTo(System.getProperty("os.name"));
        assertThat(env.arch()).isEqualTo(System.getProperty("os.arch"));
        assertThat(env.jdk()).startsWith(Runtime.version().toString() + " (").endsWith(")");
        assertThat(env.gitCommit()).isEqualTo(EnvironmentProbe.UNKNOWN);
    }

    @Test
    void theProbedEnvironmentMatchesTheSchema() {
        Report report = new Report(Report.SCHEMA_VERSION, "probe", SampleReport.build().startedAt(),
                SampleReport.build().finishedAt(), EnvironmentProbe.probe(dir), List.of(), List.of(),
                Summary.of(List.of()));

        assertThat(ReportSchema.validate(JsonReport.toJson(report))).isEmpty();
    }

    @Test
    void aMissingDirectoryIsUnknownNotAnError() {
        assertThat(EnvironmentProbe.probe(dir.resolve("missing")).gitCommit()).isEqualTo(EnvironmentProbe.UNKNOWN);
    }

    @Test
    void readsTheCommitOfAGitWorkTreeAndMarksItDirtyWhenItHasChanges() throws Exception {
        assumeTrue(run(dir, "git", "init", "-q"), "git is not installed");
        Files.writeString(dir.resolve("a.txt"), "a\n");
        assertThat(run(dir, "git", "add", "a.txt")).isTrue();
        assertThat(run(dir, "git", "-c", "user.name=probe", "-c", "user.email=probe@example.invalid",
                "-c", "commit.gpgsign=false", "commit", "-q", "-m", "one")).isTrue();

        String clean = EnvironmentProbe.probe(dir).gitCommit();
        assertThat(clean).matches("[0-9a-f]{40}");

        Files.writeString(dir.resolve("b.txt"), "untracked\n");
        assertThat(EnvironmentProbe.probe(dir).gitCommit()).isEqualTo(clean + "-dirty");
    }

    @Test
    void readsTheVersionsOfTheToolsThatAreInstalled() {
        Environment env = EnvironmentProbe.probe(dir);

        if (onPath("go")) {
            assertThat(env.go()).startsWith("go");
        }
        if (onPath("socat")) {
            assertThat(env.socat()).startsWith("socat version ");
        }
        if (onPath("nc")) {
            assertThat(env.netcat()).containsIgnoringCase("netcat");
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return false;
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }
}
