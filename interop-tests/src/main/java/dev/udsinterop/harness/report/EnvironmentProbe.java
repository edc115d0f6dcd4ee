// SPDX-License-Identifier: Apache-2.0
// EnvironmentProbe: finds out the machine and tool versions for a report's Environment, never failing the run.
package dev.udsinterop.harness.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Probes the environment a run happens in. Each value comes from a system property, a file under /proc or a
 * short command ({@code uname}, {@code go}, {@code nc}, {@code socat}, {@code git}); a value that cannot be
 * found, for whatever reason, is {@value #UNKNOWN}, because a missing tool must not stop a run from reporting.
 */
public final class EnvironmentProbe {

    /** The value of a field that could not be found. */
    public static final String UNKNOWN = "unknown";

    /** How long a probing command may take before it is killed. */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private record Output(int exitCode, String text) {
        List<String> lines() {
            return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
    }

    private EnvironmentProbe() {
    }

    /**
     * Returns the environment of this JVM and machine. Never throws; runs a few commands, each killed after
     * {@link #DEADLINE}, so it may take seconds when a tool hangs.
     *
     * @param projectHome the project's root, a git work tree, for {@code gitCommit}; any directory will do
     *     (a non-git or missing directory, or null, gives {@value #UNKNOWN})
     */
    public static Environment probe(Path projectHome) {
        return new Environment(
                property("os.name"),
                kernel(),
                property("os.arch"),
                cpuModel(),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                Runtime.version() + " (" + property("java.vendor") + ")",
                goVersion(),
                first(List.of("nc", "-h"), false, l -> l.toLowerCase(Locale.ROOT).contains("netcat")),
                first(List.of("socat", "-V"), false, l -> l.startsWith("socat version")),
                gitCommit(projectHome));
    }

    /**
     * Returns the first non-empty line {@code command} prints (both streams) when it succeeds, e.g. a tool's
     * {@code --version}; {@value #UNKNOWN} when it is missing, fails or outlives {@link #DEADLINE}.
     */
    public static String firstLine(List<String> command) {
        return first(command, true, l -> true);
    }

    private static String property(String name) {
        try {
            String value = System.getProperty(name);
            return value == null || value.isBlank() ? UNKNOWN : value.strip();
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static String kernel() {
        String version = property("os.version");
        return version.equals(UNKNOWN) ? first(List.of("uname", "-r"), true, l -> true) : version;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .filter(v -> !v.isEmpty())
                    .findFirst().orElse(UNKNOWN);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static String goVersion() {
        // "go version go1.19.8 linux/amd64": the third word.
        return command(List.of("go", "version"), o -> o.text().strip().split("\\s+"), true)
                .filter(words -> words.length >= 3).map(words -> words[2]).orElse(UNKNOWN);
    }

    private static String first(List<String> command, boolean needSuccess, Predicate<String> wanted) {
        return command(command, Output::lines, needSuccess)
                .flatMap(lines -> lines.stream().filter(wanted).findFirst())
                .orElse(UNKNOWN);
    }

    /**
     * Returns the commit checked out at {@code home}, with {@code -dirty} appended when the work tree has changes
     * (untracked files included), or {@value #UNKNOWN} when {@code home} is not a git work tree.
     */
    public static String gitCommit(Path home) {
        if (home == null) {
            return UNKNOWN;
        }
        String dir = home.toAbsolutePath().toString();
        Optional<String> head = command(List.of("git", "-C", dir, "rev-parse", "HEAD"), o -> o.text().strip(), true)
                .filter(h -> h.matches("[0-9a-f]{40,64}"));
        if (head.isEmpty()) {
            return UNKNOWN;
        }
        // Untracked files count: a result that depends on a file nobody committed is not reproducible either.
        // When status cannot tell, the tree is not known to be clean, so it is not called clean.
        boolean clean = command(List.of("git", "-C", dir, "status", "--porcelain"), Output::text, true)
                .map(String::isBlank).orElse(false);
        return clean ? head.get() : head.get() + "-dirty";
    }

    /**
     * Runs {@code command} with both output streams in one file, and maps its output.
     *
     * @param needSuccess whether a non-zero exit means failure (OpenBSD nc -h exits 1 after its usage text)
     * @return the mapped output, or empty when the command is missing, fails, or outlives {@link #DEADLINE}
     */
    private static <T> Optional<T> command(List<String> command, Function<Output, T> map,
            boolean needSuccess) {
        File output = null;
        Process process = null;
        try {
            // Output goes to a file, not a pipe: reading a pipe could block past the deadline if the tool hangs.
            output = File.createTempFile("uds-interop-probe", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("LC_ALL", "C");
            // Inside a git hook these would point git at another repository than projectHome.
            builder.environment().keySet().removeAll(List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"));
            process = builder.start();
            if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            Output result = new Output(process.exitValue(),
                    Files.readString(output.toPath(), StandardCharsets.ISO_8859_1));
            if (needSuccess && result.exitCode() != 0) {
                return Optional.empty();
            }
            return Optional.ofNullable(map.apply(result));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            if (output != null && !output.delete()) {
                output.deleteOnExit();
            }
        }
    }
}
