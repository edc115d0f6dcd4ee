// SPDX-License-Identifier: Apache-2.0
// EndpointTest: every kind of ready line parses to its transport, socket kind and address, and prints back the same.
package dev.udsinterop.harness.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "listening unix:/tmp/a/echo.sock, unix, stream, /tmp/a/echo.sock",
        "listening tcp:127.0.0.1:4242, tcp, stream, 127.0.0.1:4242",
        "listening tcp:[::1]:4242, tcp, stream, [::1]:4242",
        "listening seqpacket:/tmp/a/seqpacket.sock, seqpacket, seqpacket, /tmp/a/seqpacket.sock",
        "listening datagram:/tmp/a/datagram.sock, datagram, datagram, /tmp/a/datagram.sock",
        "listening unix:@echo-stream, abstract, stream, @echo-stream",
        "listening seqpacket:@echo-p, abstract, seqpacket, @echo-p",
        "listening datagram:@echo-dgram, abstract, datagram, @echo-dgram"})
    void parsesEveryReadyLine(String line, String transport, String socket, String address) {
        Endpoint e = Endpoint.fromReadyLine(line);
        assertThat(e).as(line).isNotNull();
        assertThat(e.transport().id()).isEqualTo(transport);
        assertThat(e.socket()).isEqualTo(socket);
        assertThat(e.address()).isEqualTo(address);
        assertThat(e.isAbstract()).isEqualTo(address.startsWith("@"));
        assertThat("listening " + e).as("printed back as the ready line said it").isEqualTo(line);
    }

    @Test
    void refusesWhatIsNoReadyLine() {
        assertThat(Endpoint.fromReadyLine("listening unix:@")).isNull();
        assertThat(Endpoint.fromReadyLine("listening sctp:/tmp/x")).isNull();
        assertThat(Endpoint.fromReadyLine("listening seqpacket:")).isNull();
        assertThat(Endpoint.fromReadyLine("hello")).isNull();
    }

    @Test
    void pathEndpointsKeepTheirFactories() {
        assertThat(Endpoint.unix(Path.of("/x.sock"))).isEqualTo(Endpoint.fromReadyLine("listening unix:/x.sock"));
        assertThat(Endpoint.seqpacket(Path.of("/p.sock")).transport()).isEqualTo(Transport.SEQPACKET);
    }
}
