// SPDX-License-Identifier: Apache-2.0
// ReadinessIT: the ready lines: one per listener, exact format, printed only once the listener accepts.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessIT {
    @TempDir
    Path dir;

    @Test
    void printsOneExactLinePerListenerInTheGivenOrder() throws Exception {
        Path a = dir.resolve("a.sock");
        Path b = dir.resolve("b.sock");
        try (ServerProcess server = ServerProcess.ready(3, "--unix", a.toString(), "--tcp", "127.0.0.1:0", "--unix", b.toString())) {
            var lines = server.awaitReady(3);
            assertThat(lines.get(0)).isEqualTo("listening unix:" + a);
            assertThat(lines.get(1)).matches("listening tcp:127\\.0\\.0\\.1:[1-9][0-9]*");
            assertThat(lines.get(2)).isEqualTo("listening unix:" + b);
            byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
            for (String network : new String[] {"unix", "tcp"}) {
                assertThat(EchoClient.echo(server.address(network), hello)).as("echo right after the %s ready line", network)
                        .isEqualTo(hello);
            }
            assertThat(((InetSocketAddress) server.address("tcp")).getPort()).as("the port 0 picked").isPositive();
        }
    }

    @Test
    void printsARelativePathAsAbsolute() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("r.sock"));
        try (ServerProcess server = ServerProcess.ready(1, "--unix", relative.toString())) {
            assertThat(server.stdout()).containsExactly("listening unix:" + dir.resolve("r.sock"));
        }
    }
}
