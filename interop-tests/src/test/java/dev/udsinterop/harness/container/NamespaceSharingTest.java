// SPDX-License-Identifier: Apache-2.0
// NamespaceSharingTest: which transports make the container runtimes share the server's network namespace, and the server's arguments on the host's.
package dev.udsinterop.harness.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.transport.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceSharingTest {
    @Test
    void datagramAndAbstractNamesShareTheServersNetworkNamespaceTheOthersDoNot() {
        assertThat(List.of(Transport.values())).filteredOn(ContainerRuntime::sharesNamespace)
                .containsExactly(Transport.DATAGRAM, Transport.ABSTRACT);
    }

    @Test
    void aServerOnTheHostsNetworkIsGivenNoTcpListener() {
        assertThat(ContainerRuntime.withoutTcp(List.of("--unix", "/sock/s1.sock", "--tcp", "0.0.0.0:7000", "--datagram",
                "/sock/s1.datagram.sock"))).containsExactly("--unix", "/sock/s1.sock", "--datagram", "/sock/s1.datagram.sock");
    }
}
