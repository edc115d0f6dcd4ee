// SPDX-License-Identifier: Apache-2.0
// CommandRun: runs a real command for a test (the entry script, the harness, Maven) and keeps its exit status and output.
package dev.udsinterop.harness.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a finished command did. Standard input is {@code /dev/null}; both output streams are read to the end
 * (stderr on its own thread, so neither pipe can fill up); a command that outlives its deadline is killed and
 * fails the test.
 */
record CommandRun(int status, String stdout, String stderr) {
    private static final long DEADLINE_SECONDS = 120;

    /** Runs {@code command} in {@code dir}. */
    static CommandRun of(Path dir, List<String> command) throws IOException, InterruptedException {
        return of(dir, Map.of(), command);
    }

    /** Runs {@code command} in {@code dir} with {@code environment} added to this JVM's. */
    static CommandRun of(Path dir, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process p = builder.start();
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " still running after " + DEADLINE_SECONDS + " s");
            }
            return new CommandRun(p.exitValue(), out, err.join());
        } finally {
            p.destroyForcibly();
        }
    }

    /** Returns the java command of this JVM, with the test classpath and the checkout's uds.home. */
    static List<String> harness(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duds.home=" + System.getProperty("uds.home"), "-cp", System.getProperty("java.class.path"),
                HarnessCommand.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
