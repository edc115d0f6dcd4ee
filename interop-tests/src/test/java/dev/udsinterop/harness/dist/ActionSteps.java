// SPDX-License-Identifier: Apache-2.0
// ActionSteps: runs a composite action's steps (action.yml) the way a GitHub runner does, for ActionIT.
package dev.udsinterop.harness.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small runner for {@code runs.using: composite}: the inputs get their defaults, each step's {@code env} is
 * evaluated ({@code ${{ inputs.X }}}, {@code ${{ steps.ID.outputs.X }}}), its {@code run} goes through bash as the
 * runner's {@code shell: bash} does ({@code bash --noprofile --norc -eo pipefail FILE}) with GITHUB_ACTION_PATH,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE and RUNNER_TEMP set; the steps run in order until one fails;
 * the action's outputs are evaluated last. What it does not know ({@code if:}, {@code uses:}, other expressions)
 * fails loudly, so that the action cannot grow past what this test proves.
 */
final class ActionSteps {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]*?)\\s*}}");
    private static final long STEP_SECONDS = 300;

    /** What the steps did: each step's exit status in order, the action's outputs, the step summary's text. */
    record Result(List<Integer> statuses, Map<String, String> outputs, String summary, String log) {
    }

    private ActionSteps() {
    }

    /** Runs {@code action} (an action.yml in {@code actionPath}) with {@code given} inputs, in {@code runner}'s directories. */
    static Result run(Path actionPath, Map<String, String> given, Path runner) throws IOException, InterruptedException {
        JsonNode action = new YAMLMapper().readTree(actionPath.resolve("action.yml").toFile());
        if (!"composite".equals(action.path("runs").path("using").asText())) {
            throw new IllegalArgumentException("not a composite action");
        }
        Map<String, String> inputs = new HashMap<>();
        action.path("inputs").properties().forEach(e -> inputs.put(e.getKey(), e.getValue().path("default").asText("")));
        for (String name : given.keySet()) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException("action.yml has no input " + name);
            }
        }
        inputs.putAll(given);
        Path workspace = Files.createDirectories(runner.resolve("workspace"));
        Path temp = Files.createDirectories(runner.resolve("temp"));
        Path summary = Files.createFile(runner.resolve("step-summary.md"));
        Map<String, Map<String, String>> steps = new HashMap<>();
        List<Integer> statuses = new java.util.ArrayList<>();
        StringBuilder log = new StringBuilder();
        int n = 0;
        for (JsonNode step : action.path("runs").path("steps")) {
            for (String unknown : List.of("if", "uses", "working-directory", "continue-on-error")) {
                if (step.has(unknown)) {
                    throw new IllegalArgumentException("step " + step.path("id").asText() + ": '" + unknown + "' is not run here");
                }
            }
            if (!"bash".equals(step.path("shell").asText())) {
                throw new IllegalArgumentException("step " + step.path("id").asText() + ": shell must be bash");
            }
            Path output = Files.createFile(runner.resolve("output-" + n));
            Path script = Files.writeString(runner.resolve("step-" + n++ + ".sh"), step.path("run").asText());
            Map<String, String> env = new LinkedHashMap<>();
            step.path("env").properties().forEach(e -> env.put(e.getKey(), evaluate(e.getValue().asText(), inputs, steps)));
            env.put("GITHUB_ACTION_PATH", actionPath.toString());
            env.put("GITHUB_OUTPUT", output.toString());
            env.put("GITHUB_STEP_SUMMARY", summary.toString());
            env.put("GITHUB_WORKSPACE", workspace.toString());
            env.put("RUNNER_TEMP", temp.toString());
            Path stepLog = runner.resolve("log-" + n);
            ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                    .directory(workspace.toFile()).redirectErrorStream(true).redirectOutput(stepLog.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process p = builder.start();
            try {
                if (!p.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("step " + step.path("name").asText() + " still running after " + STEP_SECONDS
                            + " s:\n" + Files.readString(stepLog));
                }
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            log.append("== ").append(step.path("name").asText()).append(" (exit ").append(p.exitValue()).append(")\n")
                    .append(Files.readString(stepLog));
            steps.put(step.path("id").asText(), outputs(output));
            statuses.add(p.exitValue());
            if (p.exitValue() != 0) {
                break;
            }
        }
        Map<String, String> outputs = new HashMap<>();
        action.path("outputs").properties()
                .forEach(e -> outputs.put(e.getKey(), evaluate(e.getValue().path("value").asText(), inputs, steps)));
        return new Result(List.copyOf(statuses), outputs, Files.readString(summary), log.toString());
    }

    /** Reads a GITHUB_OUTPUT file: {@code name=value} lines (the runner's other, heredoc form is not used here). */
    private static Map<String, String> outputs(Path file) throws IOException {
        Map<String, String> outputs = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.contains("<<")) {
                throw new IllegalArgumentException("GITHUB_OUTPUT line not in the form name=value: " + line);
            }
            outputs.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return outputs;
    }

    private static String evaluate(String text, Map<String, String> inputs, Map<String, Map<String, String>> steps) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] path = m.group(1).split("\\.");
            String value;
            if (path.length == 2 && path[0].equals("inputs")) {
                value = inputs.get(path[1]);
            } else if (path.length == 4 && path[0].equals("steps") && path[2].equals("outputs")) {
                value = steps.getOrDefault(path[1], Map.of()).getOrDefault(path[3], "");
            } else {
                throw new IllegalArgumentException("expression not known here: " + m.group());
            }
            if (value == null) {
                throw new IllegalArgumentException("no such input: " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
