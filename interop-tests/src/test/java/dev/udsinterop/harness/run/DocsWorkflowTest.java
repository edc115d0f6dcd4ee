// SPDX-License-Identifier: Apache-2.0
// DocsWorkflowTest: the example GitHub Actions workflow parses, shards (through action.yml) and merges as documented, and names
// only commands, options and action inputs that exist.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.udsinterop.harness.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DocsWorkflowTest {
    private static final Pattern COMMAND = Pattern.compile("\\buds-interop\\s+([a-z][a-z-]*)((?:\\s+(?:\"[^\"]*\"|\\S+))*)");
    private static final Pattern OPTION = Pattern.compile("(?<=\\s)--[a-z][a-z-]*");
    private static final Pattern SCRIPT_COMMAND = Pattern.compile("(?m)^  ([a-zA-Z|-]+)\\)");

    private final Path home = ProjectLayout.fromSystemProperty().home();
    private final JsonNode workflow = read(home.resolve("docs/examples/github-actions-check.yml"));

    private static JsonNode read(Path file) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new AssertionError("parse " + file + ": " + e.getMessage(), e);
        }
    }

    private List<String> runs(String job) {
        List<String> runs = new ArrayList<>();
        workflow.path("jobs").path(job).path("steps").forEach(step -> {
            if (step.has("run")) {
                runs.add(step.get("run").asText());
            }
        });
        return runs;
    }

    /** The step of job {@code job} that uses this repository's action (action.yml). */
    private JsonNode actionStep(String job) {
        List<JsonNode> uses = new ArrayList<>();
        workflow.path("jobs").path(job).path("steps").forEach(step -> {
            if (step.path("uses").asText().startsWith("udsinterop/uds-interop@")) {
                uses.add(step);
            }
        });
        assertThat(uses).as("steps of job %s that use udsinterop/uds-interop", job).hasSize(1);
        return uses.get(0);
    }

    @Test
    void theWorkflowShardsTheCheckWithTheActionAndMergesEvenWhenAShardFailed() {
        JsonNode shards = workflow.path("jobs").path("check").path("strategy").path("matrix").path("shard");
        assertThat(shards.isArray()).as("jobs.check.strategy.matrix.shard is a list").isTrue();
        JsonNode with = actionStep("check").path("with");
        assertThat(with.path("shard").asText()).isEqualTo("${{ matrix.shard }}/" + shards.size());
        assertThat(with.path("server-cmd").asText()).contains("{unix}");
        assertThat(runs("bundle")).anyMatch(r -> r.contains("uds-interop dist"));

        JsonNode merge = workflow.path("jobs").path("merge");
        assertThat(merge.path("needs").toString()).contains("\"check\"");
        assertThat(merge.path("if").asText()).contains("always()");
        assertThat(runs("merge")).anyMatch(r -> r.contains(" merge shards/") && r.contains("--out report"));
        assertThat(merge.path("steps").findValuesAsText("path")).anyMatch(p -> p.contains("report/report.html"));
    }

    @Test
    void everyActionInputItGivesExists() throws Exception {
        JsonNode inputs = read(home.resolve("action.yml")).path("inputs");
        actionStep("check").path("with").fieldNames().forEachRemaining(name ->
                assertThat(inputs.has(name)).as("input %s in action.yml", name).isTrue());
    }

    @Test
    void everyCommandAndOptionItNamesExists() throws Exception {
        String script = Files.readString(home.resolve("uds-interop"));
        Set<String> scriptCommands = new LinkedHashSet<>();
        Matcher m = SCRIPT_COMMAND.matcher(script);
        while (m.find()) {
            scriptCommands.addAll(List.of(m.group(1).split("\\|")));
        }
        CommandLine harness = new CommandLine(new HarnessCommand());
        List<String> named = new ArrayList<>();
        for (String job : List.of("bundle", "check", "merge")) {
            for (String run : runs(job)) {
                Matcher c = COMMAND.matcher(run.replace('\n', ' '));
                while (c.find()) {
                    String command = c.group(1);
                    named.add(command);
                    assertThat(scriptCommands).as("'uds-interop %s' in the entry script", command).contains(command);
                    CommandLine sub = harness.getSubcommands().get(command);
                    Matcher o = OPTION.matcher(c.group(2).replaceAll("\"[^\"]*\"|'[^']*'", "\"\"")); // not inside a value
                    while (o.find()) {
                        assertThat(sub).as("'%s' takes options, so it is a harness command", command).isNotNull();
                        assertThat(sub.getCommandSpec().findOption(o.group())).as("uds-interop %s %s", command, o.group())
                                .isNotNull();
                    }
                }
            }
        }
        assertThat(named).contains("dist", "merge");
    }
}
