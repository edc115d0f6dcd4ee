// SPDX-License-Identifier: Apache-2.0
// AgentProcess: the host's end of a client agent: `docker exec -i` into a client container, one request line, one answer line.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.host.OutputTail;
import dev.udsinterop.harness.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientAgent} running in a container, started with the docker CLI's
 * {@code exec -i}: its stdin and stdout are a plain byte stream here. An agent that gives no
 * answer in time is killed; the next request starts a new one.
 */
final class AgentProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String container;
    private final String client;
    private Process process;
    private BlockingQueue<String> lines;
    private final OutputTail stderr = new OutputTail();

    AgentProcess(String container, String client) {
        this.container = container;
        this.client = client;
    }

    /**
     * Sends {@code request} and returns the answer.
     *
     * @throws ContainerException if the agent does not start, dies, or does not answer within {@code wait}
     */
    synchronized ClientAgent.Response call(ClientAgent.Request request, Duration wait) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            start();
        }
        try {
            OutputStream in = process.getOutputStream();
            in.write((Json.LENIENT.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw failure("write to", e.getMessage());
        }
        return read(wait);
    }

    private void start() throws InterruptedException {
        close();
        List<String> command = List.of("docker", "exec", "-i", container, "/opt/jre/bin/java", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Duds.home=/opt/uds", "-cp", Images.AGENT_CLASSPATH,
                ClientAgent.class.getName(), "--client", client);
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ContainerException("docker exec " + container + ": " + e.getMessage());
        }
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        lines = queue;
        Process p = process;
        // Platform threads: a virtual thread blocked reading the docker CLI's pipe held a carrier, and with
        // the JVM's other pipe readers (servers, clients) no carrier was left on 2 cores to read the answer.
        Thread.ofPlatform().daemon().name("uds-interop-agent-" + client).start(() -> pump(p, queue));
        Thread.ofPlatform().daemon().name("uds-interop-agent-" + client + "-stderr").start(() -> stderr.keep(p.getErrorStream()));
        ClientAgent.Response hello = read(START_TIMEOUT);
        if (!client.equals(hello.ready())) {
            throw failure("start", "unexpected first line");
        }
    }

    private ClientAgent.Response read(Duration wait) throws InterruptedException {
        String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line.isEmpty()) {
            close();
            // The end of its output is the agent's end, even if the docker CLI has not exited yet.
            throw failure("read from", line == null ? "no answer within " + wait.toMillis() + " ms (agent killed)"
                    : "the agent ended");
        }
        try {
            return Json.LENIENT.readValue(line, ClientAgent.Response.class);
        } catch (IOException e) {
            throw failure("read from", "not an answer: " + line);
        }
    }

    private ContainerException failure(String op, String cause) {
        String tail = stderr.oneLine();
        return new ContainerException(op + " the " + client + " client agent in " + container + ": " + cause
                + (tail.isBlank() ? "" : "; its stderr: " + tail));
    }

    private static void pump(Process p, BlockingQueue<String> queue) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                queue.add(line);
            }
        } catch (IOException ignored) {
            // the agent ended
        }
        queue.add(""); // end of stream: wakes a reader at once
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }
}
