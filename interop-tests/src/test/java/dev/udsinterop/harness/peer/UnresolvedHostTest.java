// SPDX-License-Identifier: Apache-2.0
// UnresolvedHostTest: a TCP endpoint whose host name does not resolve is a refused connect naming the address, at once.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * In the container runtime a TCP server is reached by its container's alias on the run's network, which Docker drops
 * when the container exits: the probe after a case that killed the go-seed server met a name that no longer resolved,
 * and the JDK's unchecked UnresolvedAddressException ended the client agent (the case then waited 40 s). The JDK
 * client fails such a connect like any refused one, with the name in the message and no wait.
 */
class UnresolvedHostTest {
    /** {@code .invalid} never resolves (RFC 6761). */
    private static final Endpoint NOWHERE = Endpoint.tcp("server-404.invalid", 7000);

    @Test
    void aProbeOfANameThatDoesNotResolveIsARefusedConnectNamingIt() throws Exception {
        long start = System.nanoTime();
        Failure f = Probe.echo(NOWHERE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(f).isNotNull();
        assertThat(f.kind()).as(f.message()).isEqualTo(FailureKind.REFUSED);
        assertThat(f.message()).contains("tcp:server-404.invalid:7000").contains("server-404.invalid: no such host");
        assertThat(took).as("no wait for the probe's 5 s deadline").isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aRoundTripToANameThatDoesNotResolveThrowsAnIoExceptionNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Probe.roundTrip(NOWHERE, new byte[] {1}, Duration.ofSeconds(5)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("server-404.invalid: no such host");
    }
}
