// SPDX-License-Identifier: Apache-2.0
// ServerProcessTest: templates, placeholders and readiness of any server: ready line, socket file, port, early exit, deadline.
package dev.udsinterop.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {
    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theTemplatesPlaceholdersNameItsTransportsAndAreFilledIn() {
        ServerSpec unix = ServerSpec.of("u", "u", List.of("srv", "--listen={unix}"));
        ServerSpec both = ServerSpec.of("b", "b", List.of("srv", "{unix}", "127.0.0.1:{port}"));
        assertThat(unix.transports()).containsExactly(Transport.UNIX);
        assertThat(both.transports()).containsExactly(Transport.UNIX, Transport.TCP);
        assertThat(ServerSpec.of("t", "t", List.of("srv", "{port}")).transports()).containsExactly(Transport.TCP);

        ServerSpec.Launch launch = both.launch(dir.resolve("x.sock"));
        assertThat(launch.port()).isBetween(1, 65535);
        assertThat(launch.command()).containsExactly("srv", dir.resolve("x.sock").toString(), "127.0.0.1:" + launch.port());
        assertThat(unix.launch(dir.resolve("y.sock")).command()).containsExactly("srv", "--listen=" + dir.resolve("y.sock"));
        assertThat(both.announcingReadiness().launch(dir.resolve("z.sock")).command())
                .as("a server with ready lines picks its own port: no other process can take it first")
                .containsExactly("srv", dir.resolve("z.sock").toString(), "127.0.0.1:0");
    }

    @Test
    void aServerWithoutReadyLineIsReadyWhenItsSocketFileAccepts() throws Exception {
        ServerSpec socat = ServerSpec.of("socat", "socat", List.of("socat", "UNIX-LISTEN:{unix},fork,unlink-early,unlink-close", "EXEC:cat"));
        Path socket = dir.resolve("echo.sock");
        Files.writeString(socket, "in the way"); // what was there before never counts as ready
        try (ServerProcess server = ServerProcess.start(socat, socket)) {
            Endpoint endpoint = server.awaitReady(Transport.UNIX, READY);
            assertThat(endpoint).isEqualTo(Endpoint.unix(socket));
            assertThat(server.printedReadyLine()).isFalse();
            assertThat(Probe.echo(endpoint)).isNull();
        }
    }

    @Test
    void aServerWithoutReadyLineIsReadyWhenItsPortAccepts() throws Exception {
        ServerSpec socat = ServerSpec.of("socat", "socat", List.of("socat", "TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", "EXEC:cat"));
        try (ServerProcess server = ServerProcess.start(socat, dir.resolve("unused.sock"))) {
            Endpoint endpoint = server.awaitReady(Transport.TCP, READY);
            assertThat(endpoint).isEqualTo(Endpoint.tcp("127.0.0.1", server.launch().port()));
            assertThat(Probe.echo(endpoint)).isNull();
        }
    }

    @Test
    void aServerThatExitsBeforeItIsReadyFailsWithItsStderr() {
        ServerSpec failing = ServerSpec.of("failing", "failing", List.of("sh", "-c", "echo cannot listen on \"$0\" >&2; exit 3", "{unix}"));
        try (ServerProcess server = ServerProcess.start(failing, dir.resolve("echo.sock"))) {
            assertThatThrownBy(() -> server.awaitReady(Transport.UNIX, READY))
                    .isInstanceOf(ServerException.class)
                    .hasMessageStartingWith("start failing " + Endpoint.unix(dir.resolve("echo.sock"))
                            + ": exited with status 3 before it was ready")
                    .hasMessageContaining("cannot listen on " + dir.resolve("echo.sock"));
        }
    }

    @Test
    void aServerThatNeverListensFailsAtTheDeadline() {
        ServerSpec silent = ServerSpec.of("silent", "silent", List.of("sh", "-c", "echo starting >&2; exec sleep 60", "{unix}"));
        try (ServerProcess server = ServerProcess.start(silent, dir.resolve("echo.sock"))) {
            assertThatThrownBy(() -> server.awaitReady(Transport.UNIX, Duration.ofMillis(300)))
                    .isInstanceOf(ServerException.class)
                    .hasMessageContaining("not ready within 300 ms")
                    .hasMessageContaining("stderr: starting");
            assertThat(server.isAlive()).as("still running until closed").isTrue();
        }
    }

    @Test
    void aProgramThatDoesNotExistCannotStart() {
        ServerSpec missing = ServerSpec.of("missing", "missing", List.of("/nonexistent/server", "{unix}"));
        assertThatThrownBy(() -> ServerProcess.start(missing, dir.resolve("echo.sock")))
                .isInstanceOf(ServerException.class)
                .hasMessageStartingWith("start missing /nonexistent/server " + dir.resolve("echo.sock") + ": ");
    }
}
