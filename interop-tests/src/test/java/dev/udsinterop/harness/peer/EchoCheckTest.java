// SPDX-License-Identifier: Apache-2.0
// EchoCheckTest: a wrong echo is described by its first differing offset and the bytes around it.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.report.Failure;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoCheckTest {
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void anExactEchoPasses() {
        assertThat(EchoCheck.verify(List.of(bytes(100)), List.of(new EchoCheck.Received(bytes(100), null)))).isNull();
    }

    @Test
    void aChangedByteIsReportedAtItsOffsetWithHexWindows() {
        byte[] actual = bytes(100);
        actual[40] = (byte) 0xff;
        Failure f = EchoCheck.verify(List.of(bytes(100)), List.of(new EchoCheck.Received(actual, null)));
        assertThat(f.firstDifferingOffset()).isEqualTo(40);
        assertThat(f.message()).isEqualTo("first difference at offset 40 (received 100 of 100 bytes)");
        assertThat(f.expectedHex()).isEqualTo("202122232425262728292a2b2c2d2e2f");
        assertThat(f.actualHex()).isEqualTo("2021222324252627ff292a2b2c2d2e2f");
        assertThat(f.expectedSha256()).isNotEqualTo(f.actualSha256()).hasSize(64);
    }

    @Test
    void aShortEchoIsReportedWhereItEndedWithTheConnectionsError() {
        Failure f = EchoCheck.verify(List.of(bytes(4097)),
                List.of(new EchoCheck.Received(java.util.Arrays.copyOf(bytes(4097), 4096), "read: connection reset")));
        assertThat(f.firstDifferingOffset()).isEqualTo(4096);
        assertThat(f.message()).isEqualTo("echo ended after 4096 of 4097 bytes; read: connection reset");
    }

    @Test
    void extraBytesAndErrorsAfterACorrectEchoFailToo() {
        assertThat(EchoCheck.verify(List.of(bytes(3)), List.of(new EchoCheck.Received(bytes(5), null))).message())
                .isEqualTo("received 5 bytes, 2 more than sent");
        assertThat(EchoCheck.verify(List.of(bytes(3)), List.of(new EchoCheck.Received(bytes(3), "nc: exit status 1"))).message())
                .isEqualTo("nc: exit status 1");
    }

    @Test
    void namesTheFirstFailingConnectionOfSeveral() {
        Failure f = EchoCheck.verify(List.of(bytes(10), bytes(10), bytes(10)), List.of(
                new EchoCheck.Received(bytes(10), null), new EchoCheck.Received(bytes(9), null),
                new EchoCheck.Received(new byte[0], null)));
        assertThat(f.message()).startsWith("connection 1: echo ended after 9 of 10 bytes");
    }
}
