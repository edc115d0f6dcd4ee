// SPDX-License-Identifier: Apache-2.0
// RuntimeKindTest: --runtime names select runtimes in matrix order; cross names both cross runtimes; unknown names are refused; which transports each runtime has.
package dev.udsinterop.harness.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.transport.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeKindTest {
    @Test
    void crossNamesBothCrossRuntimesAndTheOrderIsTheMatrixOrder() {
        assertThat(RuntimeKind.select(List.of("cross", "local")))
                .containsExactly(RuntimeKind.LOCAL, RuntimeKind.CROSS_SERVER, RuntimeKind.CROSS_CLIENT);
        assertThat(RuntimeKind.select(List.of())).containsExactly(RuntimeKind.values());
        assertThat(RuntimeKind.select(List.of("container"))).containsExactly(RuntimeKind.CONTAINER);
    }

    @Test
    void everyRuntimeHasTheSocketsBeyondByteStreamsAndOnlyLocalAndContainerHaveTcp() {
        for (RuntimeKind r : RuntimeKind.values()) {
            for (Transport t : List.of(Transport.UNIX, Transport.SEQPACKET, Transport.DATAGRAM, Transport.ABSTRACT)) {
                assertThat(r.covers(t)).as("%s covers %s", r, t).isTrue();
            }
            assertThat(r.covers(Transport.TCP)).as("%s covers tcp", r)
                    .isEqualTo(r == RuntimeKind.LOCAL || r == RuntimeKind.CONTAINER);
        }
    }

    @Test
    void anUnknownRuntimeIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> RuntimeKind.select(List.of("local", "vm")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--runtime vm: unknown runtime");
    }
}
