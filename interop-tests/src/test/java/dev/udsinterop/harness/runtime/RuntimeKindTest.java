// SPDX-License-Identifier: Apache-2.0
// RuntimeKindTest: --runtime names select runtimes in matrix order; cross names both cross runtimes; unknown names are refused.
package dev.udsinterop.harness.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void anUnknownRuntimeIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> RuntimeKind.select(List.of("local", "vm")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--runtime vm: unknown runtime");
    }
}
