// SPDX-License-Identifier: Apache-2.0
// ClientAgentTest: the client agent answers every request line, also one it cannot read or that fails, and lives on.
package dev.udsinterop.harness.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent runs under {@code docker exec -i}, which outlives the process it runs for as long as its stdin is open:
 * an agent that died on a request left its host waiting for the case's whole deadline plus margin (40 s), as after an
 * UnresolvedAddressException in a probe. So the agent answers every line, with an error where it cannot do better,
 * and stays up. Run here as a plain process with this JVM's classpath.
 */
class ClientAgentTest {
    private static final long ANSWER_WITHIN_SECONDS = 30; // a sanity bound: each answer comes in well under a second
    private Process agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.destroyForcibly();
        }
    }

    @Test
    void answersAProbeOfANameThatDoesNotResolveAndALineThatIsNoRequestAndStaysUp() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        agent = new ProcessBuilder(java.toString(), "-Duds.home=" + ProjectLayout.fromSystemProperty().home(),
                "-cp", System.getProperty("java.class.path"), ClientAgent.class.getName(), "--client", "java")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the agent ended: the missing answer fails the test
            }
            lines.add(""); // end of stream: the test fails at once, not at its bound
        });
        assertThat(Json.LENIENT.readValue(next(lines), ClientAgent.Response.class).ready()).isEqualTo("java");

        OutputStream in = agent.getOutputStream();
        for (String line : List.of(
                Json.LENIENT.writeValueAsString(new ClientAgent.Request(null, "tcp:server-404.invalid:7000", 5000, true)),
                "not a request",
                Json.LENIENT.writeValueAsString(new ClientAgent.Request(null, "tcp:server-404.invalid:7000", 5000, true)))) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        in.flush();

        ClientAgent.Response probe = Json.LENIENT.readValue(next(lines), ClientAgent.Response.class);
        assertThat(probe.probe()).contains("tcp:server-404.invalid:7000").contains("server-404.invalid: no such host");
        ClientAgent.Response garbage = Json.LENIENT.readValue(next(lines), ClientAgent.Response.class);
        assertThat(garbage.exchange().failure().kind()).isEqualTo(FailureKind.ERROR);
        assertThat(garbage.exchange().failure().message()).contains("the client agent could not run the request");
        assertThat(Json.LENIENT.readValue(next(lines), ClientAgent.Response.class).probe()).contains("no such host");
        assertThat(agent.isAlive()).isTrue();
    }

    private String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS);
        if (line == null || line.isEmpty()) {
            boolean ended = agent.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("no answer within " + ANSWER_WITHIN_SECONDS + " s: the agent "
                    + (ended ? "exited with status " + agent.exitValue() : "runs"));
        }
        return line;
    }
}
