// SPDX-License-Identifier: Apache-2.0
// ExternalClientsIT: the server driven by clients nobody wrote for it: OpenBSD netcat and socat.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExternalClientsIT {
    @TempDir
    Path dir;

    /** The command line of each client for an address; both half-close after their stdin ends. */
    enum Client {
        NC {
            @Override
            List<String> command(Object address) {
                return address instanceof UnixDomainSocketAddress unix
                        ? List.of("nc", "-U", "-N", unix.getPath().toString())
                        : List.of("nc", "-N", "127.0.0.1", Integer.toString(((InetSocketAddress) address).getPort()));
            }
        },
        SOCAT {
            @Override
            List<String> command(Object address) {
                // -t: after stdin's EOF, wait this long for the echo to end (the default 0.5 s cuts big echoes short)
                return address instanceof UnixDomainSocketAddress unix
                        ? List.of("socat", "-t", "30", "-", "UNIX-CONNECT:" + unix.getPath())
                        : List.of("socat", "-t", "30", "-", "TCP:127.0.0.1:" + ((InetSocketAddress) address).getPort());
            }
        };

        abstract List<String> command(Object address);

        String executable() {
            return name().toLowerCase();
        }
    }

    static List<Object[]> clientsAndTransports() {
        List<Object[]> combinations = new ArrayList<>();
        for (Client client : Client.values()) {
            for (Transport transport : Transport.values()) {
                combinations.add(new Object[] {client, transport});
            }
        }
        return combinations;
    }

    @ParameterizedTest(name = "{0} over {1}")
    @org.junit.jupiter.params.provider.MethodSource("clientsAndTransports")
    void echoesThroughTheClient(Client client, Transport transport) throws Exception {
        assumeInstalled(client);
        byte[] payload = EchoClient.payload(42, 1 << 20);
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir))) {
            Process process = new ProcessBuilder(client.command(server.address(transport.network()))).start();
            try {
                assertThat(exchange(process, payload)).as("%s echo of 1 MiB over %s", client, transport).isEqualTo(payload);
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s ends after the echo", client).isTrue();
                assertThat(process.exitValue()).as("%s exit status", client).isZero();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void survivesTheClientBeingKilledMidStream(Client client) throws Exception {
        assumeInstalled(client);
        try (ServerProcess server = ServerProcess.ready(1, Transport.UNIX.serverArgs(dir))) {
            Process victim = new ProcessBuilder(client.command(server.address("unix"))).start();
            try {
                OutputStream stdin = victim.getOutputStream();
                stdin.write("partial".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                assertThat(victim.getInputStream().readNBytes(7)).as("first echo through %s", client)
                        .isEqualTo("partial".getBytes(StandardCharsets.US_ASCII));
            } finally {
                victim.destroyForcibly();
                victim.waitFor(10, TimeUnit.SECONDS);
            }
            byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
            assertThat(EchoClient.echo(server.address("unix"), hello)).as("echo for the next client").isEqualTo(hello);
        }
    }

    @Test
    void theSeedPostsNetcatExampleWorks() throws Exception {
        assumeInstalled(Client.NC);
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess ignored = ServerProcess.ready(1, "--unix", socket.toString())) {
            Process process = new ProcessBuilder("sh", "-c", "echo \"I'm a Kungfu Dev\" | nc -U -N " + socket).start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("I'm a Kungfu Dev\n");
        }
    }

    /** Feeds {@code payload} to the process's stdin, closes it, and returns all of its stdout. */
    static byte[] exchange(Process process, byte[] payload) throws Exception {
        // Own threads for each side: the echo must be read while the payload is still being written.
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
             InputStream stdout = process.getInputStream()) {
            Future<?> writer = executor.submit(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(payload);
                }
                return null;
            });
            Future<byte[]> reader = executor.submit(stdout::readAllBytes);
            try {
                writer.get(30, TimeUnit.SECONDS);
                return reader.get(30, TimeUnit.SECONDS);
            } finally {
                process.destroyForcibly(); // unblocks both sides if the deadline passed
            }
        }
    }

    /** Skips without the client, but fails under CI=true or -Duds.requireAll=true (see {@link Prerequisite}). */
    private static void assumeInstalled(Client client) throws Exception {
        Prerequisite.requireExecutable(client.executable());
    }
}
