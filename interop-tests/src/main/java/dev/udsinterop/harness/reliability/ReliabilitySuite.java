// SPDX-License-Identifier: Apache-2.0
// ReliabilitySuite: runs the reliability trials against the Java server, quick (test suite) or full (./uds-interop soak).
package dev.udsinterop.harness.reliability;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.host.DirectoryTree;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.LocalRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reliability trials, in order: soak, idle connections, slow readers, SIGTERM under
 * load, kill and restart, killed clients. Each starts its own server; a trial that throws
 * is a failed result, and the rest still run.
 */
public final class ReliabilitySuite {
    private static final List<Trial> TRIALS = List.of(new Soak(), new IdleConnections(), new SlowReaders(),
            new SigtermUnderLoad(), new KillRestart(), new KilledClients());

    private ReliabilitySuite() {
    }

    /** Returns the trials' names, in run order. */
    public static List<String> names() {
        return TRIALS.stream().map(Trial::name).toList();
    }

    /**
     * Runs the trials whose names {@code selected} accepts, quick or full, reporting progress lines.
     *
     * @throws ProjectLayout.MissingArtifactException if the server jar or soak-client is not built
     */
    public static List<ReliabilityResult> run(ProjectLayout layout, boolean quick, java.util.function.Predicate<String> selected,
                                              Consumer<String> progress) throws IOException {
        ProjectLayout.require(layout.javaServerJar());
        ProjectLayout.require(layout.goBinary("soak-client"));
        // Socket paths must stay short (107 bytes): a fresh directory under /tmp, removed afterwards.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "uds-rel-");
        try (LocalRuntime servers = new LocalRuntime()) {
            ReliabilityContext context = new ReliabilityContext(layout, servers, dir, quick, progress);
            List<ReliabilityResult> results = new ArrayList<>();
            for (int i = 0; i < TRIALS.size(); i++) {
                Trial trial = TRIALS.get(i);
                String name = trial.name();
                if (!selected.test(name)) {
                    continue;
                }
                progress.accept("reliability " + (i + 1) + "/" + TRIALS.size() + ": " + name + (quick ? " (quick)" : ""));
                long start = System.nanoTime();
                ReliabilityResult result;
                try {
                    result = trial.run(context);
                } catch (Exception | AssertionError e) {
                    result = new ReliabilityResult(name, name, "java", 0, 0, 0, null, (System.nanoTime() - start) / 1_000_000,
                            ReliabilityResult.FAIL, "did not complete: " + e);
                }
                progress.accept("  " + result.verdict() + ": " + result.detail());
                results.add(result);
            }
            return results;
        } finally {
            DirectoryTree.delete(dir);
        }
    }
}
